import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AnalyticsNetworkGuard } from '../analytics-network.guard';
import { FuelReports } from './reports.service';

export { reportWindow } from './reports.service';

/** Seed reports R1–R7 (spec §6) as JSON; admin credential plus the analytics network rule (§5). */
@ApiTags('fuel reports')
@ApiBearerAuth()
@UseGuards(AnalyticsNetworkGuard)
@ApiQuery({ name: 'from_date', required: false, description: 'YYYY-MM-DD, default today−90 days' })
@ApiQuery({ name: 'to_date', required: false, description: 'YYYY-MM-DD, default today' })
@ApiQuery({ name: 'release', required: false, description: 'Fuel release of the installation, e.g. 9.0' })
@Controller('api/v1/json/report')
export class ReportsController {
  constructor(private readonly reports: FuelReports) {}

  @Get('os')
  @ApiOperation({ summary: 'R1 OS distribution of operational/error environments and their nodes (spec §6)' })
  @ApiOkResponse({ description: '{from_date,to_date,release,population, environments:{os:n}, nodes:{os:n}, total_environments}' })
  os(@Query() q: Record<string, string>) {
    return this.reports.run('os', q);
  }

  @Get('deployment_time')
  @ApiOperation({ summary: 'R2 deployment duration of successful deploy tasks, with provision/deployment phases (spec §6)' })
  @ApiOkResponse({ description: '{…envelope, deploy:{group:{count,mean_s,median_s,p90_s,min_s,max_s}}, phases, unparseable}' })
  deploymentTime(@Query() q: Record<string, string>) {
    return this.reports.run('deployment_time', q);
  }

  @Get('releases')
  @ApiOperation({ summary: 'R3 Fuel releases of installations, OpenStack releases of deployed environments (spec §6)' })
  @ApiOkResponse({ description: '{…envelope, fuel_releases:{release:n}, openstack_releases:{version:{environments,name}}}' })
  releases(@Query() q: Record<string, string>) {
    return this.reports.run('releases', q);
  }

  @Get('hardware')
  @ApiOperation({ summary: 'R4 node hardware by manufacturer and model, virtual vs bare metal (spec §6)' })
  @ApiOkResponse({ description: '{…envelope, by_manufacturer, by_model, virtual, bare_metal}' })
  hardware(@Query() q: Record<string, string>) {
    return this.reports.run('hardware', q);
  }

  @Get('deployment_failures')
  @ApiOperation({ summary: 'R5 failed deployment attempts before the first success, per environment (spec §6)' })
  @ApiOkResponse({ description: '{…envelope, environments_with_success, average_failures_before_success, distribution, environments_never_succeeded, failed_attempts_total, unparseable}' })
  deploymentFailures(@Query() q: Record<string, string>) {
    return this.reports.run('deployment_failures', q);
  }

  @Get('node_roles')
  @ApiOperation({ summary: 'R6 node roles incl. combined roles (spec §6)' })
  @ApiQuery({ name: 'node_status', required: false, description: '"any" lifts the status=ready filter' })
  @ApiOkResponse({ description: '{…envelope, by_role, by_combination, combined_nodes, total_nodes}' })
  nodeRoles(@Query() q: Record<string, string>) {
    return this.reports.run('node_roles', q);
  }

  @Get('ostf')
  @ApiOperation({ summary: 'R7 health-check (OSTF) failure rate per test vs total runs (spec §6)' })
  @ApiQuery({ name: 'limit', required: false, description: 'tests listed, default 50' })
  @ApiOkResponse({ description: '{…envelope, tests:[{id,testset,runs,failures,failure_rate,installations}], total_runs, unparseable}' })
  ostf(@Query() q: Record<string, string>) {
    return this.reports.run('ostf', q);
  }
}
