import { Injectable } from '@nestjs/common';
import { RollupInstaller } from '../../analytics/rollup-installer';
import { CLR_CRASH_GUILTY_DAILY } from '../../analytics/rollups/clr-crash-guilty-daily.rollup';
import { type FramePair, pairKey } from './backtrace';
import { CrashesRepository, CrashRow, CrashWindow } from './crashes.repository';
import { shapeTopGuilty, TopGuiltyTable } from './crashes.query';
import { NeverGuiltyRepository } from './never-guilty.repository';

/** §8.4: at most 50 backtraces are shown for one guilty. */
export const CRASH_LIST_LIMIT = 50;

export type CrashDetail = CrashRow &
  Readonly<{
    frames: (CrashRow['frames'][number] & { guilty: boolean; neverGuilty: boolean })[];
  }>;

/** Reads for the Crashes API and console: the rollup for counts, the hypertable for crash lists. */
@Injectable()
export class CrashesQueryService {
  constructor(
    private readonly crashes: CrashesRepository,
    private readonly neverGuilty: NeverGuiltyRepository,
    private readonly rollups: RollupInstaller,
  ) {}

  /**
   * A continuous aggregate only shows rows inserted below its watermark after a refresh, so the window
   * is refreshed first (a no-op for views, and cheap when nothing in it changed); the answer then
   * equals a direct count over `crashes` in every rollup mode.
   */
  async topGuilty(window: CrashWindow): Promise<TopGuiltyTable> {
    await this.rollups.refresh(CLR_CRASH_GUILTY_DAILY.name, window.from, window.to);
    return shapeTopGuilty(await this.crashes.topGuilty(window));
  }

  /** §8.4 pie and column (all time). */
  async overview(): Promise<{ byClassification: { classification: string; crashes: number }[]; byBuild: { build: string; crashes: number }[] }> {
    await this.rollups.refresh(CLR_CRASH_GUILTY_DAILY.name, null, null);
    return { byClassification: await this.crashes.byClassification(), byBuild: await this.crashes.byBuild() };
  }

  async byGuilty(guilty: FramePair, window: CrashWindow): Promise<{ total: number; crashes: CrashRow[] }> {
    const [total, crashes] = [await this.crashes.countByGuilty(guilty, window), await this.crashes.byGuilty(guilty, window, CRASH_LIST_LIMIT)];
    return { total, crashes };
  }

  async detail(recordId: string): Promise<CrashDetail | undefined> {
    const row = await this.crashes.byRecordId(recordId);
    if (!row) return undefined;
    const listed = new Set((await this.neverGuilty.list()).map((p) => pairKey(p.function, p.module)));
    const guiltyIndex = row.guilty_function === null ? -1 : row.frames.findIndex((f) => f.function === row.guilty_function && f.module === row.guilty_module);
    return {
      ...row,
      frames: row.frames.map((f, i) => ({ ...f, guilty: i === guiltyIndex, neverGuilty: listed.has(pairKey(f.function, f.module)) })),
    };
  }

  builds(): Promise<string[]> {
    return this.crashes.builds();
  }
}
