import { Readable } from 'node:stream';
import { Controller, Get, Logger, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { stringify } from 'csv-stringify';
import type { FastifyReply } from 'fastify';
import { CSV_HEADERS } from './export-columns';
import { CsvResource, exportRows } from './export-rows';
import { ExportsRepository } from './exports.repository';
import { InstallationsReport, installationsReport } from './installations-report';
import { reportWindow } from './reports.service';
import { ReportWindow } from './reports.repository';

/** §5.7: the installations report is cached per release key for up to an hour; `refresh` bypasses. */
export const INSTALLATIONS_REPORT_TTL_MS = 3_600_000;

/**
 * Upstream-compatible analytics exports (spec §5): CSV streamed row by row from keyset pages of the
 * stored installations through csv-stringify (backpressure all the way, nothing buffered), and the
 * JSON installations report. Protected by the admin credential like every read API.
 */
@ApiTags('fuel exports')
@ApiBearerAuth()
@Controller('api/v1')
export class ExportsController {
  private readonly logger = new Logger('fuel-exports');
  private readonly reportCache = new Map<string, { at: number; report: InstallationsReport }>();

  constructor(private readonly repo: ExportsRepository) {}

  @Get('csv/clusters')
  @ApiOperation({ summary: 'clusters.csv: one row per environment of each selected installation (spec §5.2)' })
  @ApiProduces('text/csv')
  @ApiQuery({ name: 'from_date', required: false, description: 'YYYY-MM-DD, default today−90 days' })
  @ApiQuery({ name: 'to_date', required: false, description: 'YYYY-MM-DD, default today' })
  clusters(@Query() q: Record<string, string>, @Res() reply: FastifyReply) {
    return this.sendCsv('clusters', q, reply);
  }

  @Get('csv/nodes')
  @ApiOperation({ summary: 'nodes.csv: one row per node (522 columns, spec §5.3)' })
  @ApiProduces('text/csv')
  @ApiQuery({ name: 'from_date', required: false })
  @ApiQuery({ name: 'to_date', required: false })
  nodes(@Query() q: Record<string, string>, @Res() reply: FastifyReply) {
    return this.sendCsv('nodes', q, reply);
  }

  @Get('csv/plugins')
  @ApiOperation({ summary: 'plugins.csv: one row per installed plugin (spec §5.3)' })
  @ApiProduces('text/csv')
  @ApiQuery({ name: 'from_date', required: false })
  @ApiQuery({ name: 'to_date', required: false })
  plugins(@Query() q: Record<string, string>, @Res() reply: FastifyReply) {
    return this.sendCsv('plugins', q, reply);
  }

  @Get('json/report/installations')
  @ApiOperation({ summary: 'Installations and environments summary (spec §5.7), cached an hour per release' })
  @ApiQuery({ name: 'release', required: false })
  @ApiQuery({ name: 'refresh', required: false, description: 'any non-empty value bypasses the cache' })
  @ApiOkResponse({ description: '{installations:{count,environments_num}, environments:{count,operable_envs_count,statuses,nodes_num,hypervisors_num,oses_num}}' })
  async installations(@Query() q: Record<string, string>): Promise<InstallationsReport> {
    const release = typeof q.release === 'string' && q.release !== '' ? q.release : null;
    const key = release ?? '';
    const cached = this.reportCache.get(key);
    const now = Date.now();
    if (cached && !q.refresh && now - cached.at < INSTALLATIONS_REPORT_TTL_MS) return cached.report;
    const report = installationsReport(await this.repo.installationsReport(release));
    this.reportCache.set(key, { at: now, report });
    return report;
  }

  private sendCsv(resource: CsvResource, q: Record<string, string>, reply: FastifyReply) {
    const w = reportWindow(q); // 400 before anything is sent
    const csv = stringify({ record_delimiter: 'windows', quoted_match: /[\r\n]/ });
    const rows = Readable.from(this.rows(resource, w));
    rows.on('error', (err) => {
      // Headers are already out: log and cut the stream so the client sees a truncated download.
      this.logger.error(`${resource}.csv export failed: ${(err as Error).message}`);
      csv.destroy(err as Error);
    });
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename=${resource}.csv`)
      .send(rows.pipe(csv));
  }

  private async *rows(resource: CsvResource, w: ReportWindow): AsyncGenerator<string[]> {
    yield CSV_HEADERS[resource];
    for await (const page of this.repo.installations(w)) {
      const verify = resource === 'clusters' ? await this.repo.verifyNetworks(page.map((i) => i.master_node_uid), w) : new Map();
      for (const inst of page) {
        let rows: string[][];
        try {
          rows = exportRows(resource, inst, verify.get(inst.master_node_uid));
        } catch (err) {
          // §5.2: one installation that cannot be flattened never fails the export.
          this.logger.warn(`skipping installation row ${inst.id} in ${resource}.csv: ${(err as Error).message}`);
          continue;
        }
        yield* rows;
      }
    }
  }
}
