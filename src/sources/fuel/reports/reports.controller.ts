import { Controller, Get, Query, UseGuards, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AnalyticsNetworkGuard } from '../analytics-network.guard';
import type { FuelReport } from './fuel-report';
import { FUEL_REPORTS } from './report-registry';
import type { ReportQuery } from './report-window';
import { FuelReports } from './reports.service';
import { RequiresRole } from '../../../auth/roles';

/** `deployment_time` → `deploymentTime`: the handler's name, which Swagger turns into the operation id. */
const handlerName = (reportName: string) => reportName.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());

/**
 * Every Fuel report as JSON, `GET /api/v1/json/report/<name>` (spec fuelstats.md §5.7, §6): one route per entry of the
 * report registry, each with its own Swagger operation; admin credential plus the analytics network rule (fuelstats.md §5).
 */
@ApiTags('fuel reports')
@ApiBearerAuth()
@UseGuards(AnalyticsNetworkGuard)
@RequiresRole('viewer')
@Controller('api/v1/json/report')
export class ReportsController {
  constructor(private readonly reports: FuelReports) {}

  static {
    for (const report of FUEL_REPORTS) ReportsController.route(report);
  }

  /** Adds the handler of one report, decorated as a hand-written `@Get(name) handler(@Query() q)` would be. */
  private static route(report: FuelReport): void {
    const name = handlerName(report.name);
    const prototype = ReportsController.prototype as object;
    const handler = function (this: ReportsController, query: ReportQuery): Promise<object> {
      return this.reports.answer(report, query);
    };
    Object.defineProperty(handler, 'name', { value: name });
    Object.defineProperty(prototype, name, { value: handler, writable: true, configurable: true });
    Reflect.defineMetadata('design:paramtypes', [Object], prototype, name);
    Query()(prototype, name, 0);
    applyDecorators(
      Get(report.name),
      ApiOperation({ summary: report.summary }),
      ApiOkResponse({ description: report.response }),
      ...report.query.map((q) => ApiQuery(q)),
    )(prototype, name, Object.getOwnPropertyDescriptor(prototype, name)!);
  }
}
