import { Readable } from 'node:stream';
import { Controller, Get, Logger, Param, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { NotFound } from '../../../common/errors';
import { NoStore } from '../../../common/no-store';
import { AnalyticsNetworkGuard } from '../analytics-network.guard';
import { CsvExports } from './csv-exports.service';
import { csvTar } from './csv-tar';
import { OSWL_CSV_TYPES, csvFormat, isOswlCsvType } from './export-columns';
import { CsvExportsRepository } from './csv-exports.repository';
import { ReportWindow, reportWindow } from '../reports/report-window';
import { RequiresRole } from '../../../auth/roles';

/**
 * Upstream-compatible analytics exports (spec fuelstats.md §5): CSV streamed row by row from keyset pages through
 * csv-stringify (backpressure all the way, nothing buffered), and the tar of all CSVs. Protected by the admin credential like every read API, and by the analytics
 * network rule.
 */
@ApiTags('fuel exports')
@ApiBearerAuth()
@UseGuards(AnalyticsNetworkGuard)
@RequiresRole('analyst')
@Controller('api/v1')
export class CsvExportsController {
  private readonly logger = new Logger('fuel-exports');

  constructor(
    private readonly repo: CsvExportsRepository,
    private readonly csv: CsvExports,
  ) {}

  // clusters.csv (alone and in the tar) has the user_information name/email/company columns: intake drops those
  // values today, but the columns say what the export is for.
  @Get('csv/clusters')
  @NoStore()
  @ApiOperation({ summary: 'clusters.csv: one row per environment of each selected installation (spec fuelstats.md §5.2)' })
  @ApiProduces('text/csv')
  @ApiQuery({ name: 'from_date', required: false, description: 'YYYY-MM-DD, default today−90 days' })
  @ApiQuery({ name: 'to_date', required: false, description: 'YYYY-MM-DD, default today' })
  clusters(@Query() q: Record<string, string>, @Res() reply: FastifyReply) {
    return this.sendCsv('clusters', (w) => this.csv.installationRows('clusters', w), q, reply);
  }

  @Get('csv/nodes')
  @ApiOperation({ summary: 'nodes.csv: one row per node (522 columns, spec fuelstats.md §5.3)' })
  @ApiProduces('text/csv')
  @ApiQuery({ name: 'from_date', required: false })
  @ApiQuery({ name: 'to_date', required: false })
  nodes(@Query() q: Record<string, string>, @Res() reply: FastifyReply) {
    return this.sendCsv('nodes', (w) => this.csv.installationRows('nodes', w), q, reply);
  }

  @Get('csv/plugins')
  @ApiOperation({ summary: 'plugins.csv: one row per installed plugin (spec fuelstats.md §5.3)' })
  @ApiProduces('text/csv')
  @ApiQuery({ name: 'from_date', required: false })
  @ApiQuery({ name: 'to_date', required: false })
  plugins(@Query() q: Record<string, string>, @Res() reply: FastifyReply) {
    return this.sendCsv('plugins', (w) => this.csv.installationRows('plugins', w), q, reply);
  }

  @Get('csv/all')
  @NoStore()
  @ApiOperation({ summary: 'All CSV exports in one tar: <type>.csv per stored OSWL type (sorted), clusters.csv, plugins.csv (spec fuelstats.md §5.5)' })
  @ApiProduces('application/x-tar')
  @ApiQuery({ name: 'from_date', required: false })
  @ApiQuery({ name: 'to_date', required: false })
  async all(@Query() q: Record<string, string>, @Res() reply: FastifyReply) {
    const w = reportWindow(q);
    const entries = await this.csv.tarEntries(w);
    // The client going away stops the spool in progress; csvTar removes its temp files either way.
    const gone = new AbortController();
    reply.raw.once('close', () => gone.abort());
    const tar = Readable.from(csvTar(entries, gone.signal));
    tar.on('error', (err) => {
      if (!gone.signal.aborted) this.logger.error(`reports tar export failed: ${err.message}`);
    });
    return reply
      .header('content-type', 'application/x-tar')
      .header('content-disposition', `attachment; filename=reports_from${w.from}_to${w.to}.tar`)
      .send(tar);
  }

  @Get('csv/:resource_type')
  @ApiOperation({ summary: '<resource_type>.csv: OSWL time series, one row per resource per day (spec fuelstats.md §5.4)' })
  @ApiProduces('text/csv')
  @ApiParam({ name: 'resource_type', enum: OSWL_CSV_TYPES })
  @ApiQuery({ name: 'from_date', required: false })
  @ApiQuery({ name: 'to_date', required: false })
  oswl(@Param('resource_type') type: string, @Query() q: Record<string, string>, @Res() reply: FastifyReply) {
    if (!isOswlCsvType(type)) throw new NotFound(`No CSV export for resource type '${type}'; known: ${OSWL_CSV_TYPES.join(', ')}`, 'not_found');
    return this.sendCsv(type, (w) => this.csv.oswlRows(type, w), q, reply);
  }

  private sendCsv(name: string, rows: (w: ReportWindow) => AsyncIterable<string[]>, q: Record<string, string>, reply: FastifyReply) {
    const w = reportWindow(q); // 400 before anything is sent
    const csv = csvFormat();
    const source = Readable.from(rows(w));
    source.on('error', (err) => {
      // Headers are already out: log and cut the stream so the client sees a truncated download.
      this.logger.error(`${name}.csv export failed: ${(err as Error).message}`);
      csv.destroy(err as Error);
    });
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename=${name}.csv`)
      .send(source.pipe(csv));
  }
}
