import { Injectable, Logger } from '@nestjs/common';
import { CSV_HEADERS, OswlCsvType, oswlCsvHeader } from './export-columns';
import { CsvResource, exportRows } from './export-rows';
import { CsvExportsRepository } from './csv-exports.repository';
import { CsvEntry } from './csv-tar';
import { OswlExportRecord, VersionFallback, fillDateGaps, hasOwnVersionInfo, oswlCsvRows, versionInfoOf } from './oswl-export';
import { ReportWindow } from '../reports/report-window';

/**
 * The rows (header first) of every CSV export of spec fuelstats.md §5.2–§5.5, produced page by page from the repository
 * so nothing but the current page (and, for OSWL, the horizon) is held in memory.
 */
@Injectable()
export class CsvExports {
  private readonly logger = new Logger('fuel-exports');

  constructor(private readonly repo: CsvExportsRepository) {}

  /** clusters.csv, nodes.csv, plugins.csv (fuelstats.md §5.2, §5.3). */
  async *installationRows(resource: CsvResource, w: ReportWindow): AsyncGenerator<string[]> {
    yield CSV_HEADERS[resource];
    for await (const page of this.repo.installations(w)) {
      const verify = resource === 'clusters' ? await this.repo.verifyNetworks(page.map((i) => i.master_node_uid), w) : new Map();
      for (const inst of page) {
        let rows: string[][];
        try {
          rows = exportRows(resource, inst, verify.get(inst.master_node_uid));
        } catch (err) {
          // fuelstats.md §5.2: one installation that cannot be flattened never fails the export.
          this.logger.warn(`skipping installation row ${inst.id} in ${resource}.csv: ${(err as Error).message}`);
          continue;
        }
        yield* rows;
      }
    }
  }

  /** `<type>.csv`, the OSWL time series of fuelstats.md §5.4 from the first record's day to `to`. */
  async *oswlRows(type: OswlCsvType, w: ReportWindow): AsyncGenerator<string[]> {
    yield oswlCsvHeader(type);
    const fallbacks = new Map<string, VersionFallback>();
    for await (const { record, statsOnDate } of fillDateGaps(this.recordsWithFallbacks(type, w, fallbacks), w.to)) {
      yield* oswlCsvRows(type, { record, statsOnDate }, versionInfoOf(record, fallbacks.get(record.master_node_uid)));
    }
  }

  /** fuelstats.md §5.5 archive content: `<type>.csv` of each stored type with a column set (sorted), clusters.csv, plugins.csv. */
  async tarEntries(w: ReportWindow): Promise<CsvEntry[]> {
    const types = await this.repo.storedOswlTypes();
    return [
      ...types.map((t) => ({ name: `${t}.csv`, rows: () => this.oswlRows(t, w) })),
      { name: 'clusters.csv', rows: () => this.installationRows('clusters', w) },
      { name: 'plugins.csv', rows: () => this.installationRows('plugins', w) },
    ];
  }

  /** The records in export order; installations' version fallbacks are loaded with the page that first needs them. */
  private async *recordsWithFallbacks(type: OswlCsvType, w: ReportWindow, fallbacks: Map<string, VersionFallback>): AsyncGenerator<OswlExportRecord> {
    for await (const page of this.repo.oswlRecords(type, w)) {
      const missing = [...new Set(page.filter((r) => !hasOwnVersionInfo(r) && !fallbacks.has(r.master_node_uid)).map((r) => r.master_node_uid))];
      if (missing.length > 0) for (const [uid, f] of await this.repo.versionFallbacks(missing)) fallbacks.set(uid, f);
      yield* page;
    }
  }
}
