import { Injectable } from '@nestjs/common';
import { RollupInstaller } from '../../../database/rollup-installer';
import { CLR_CRASH_GUILTY_DAILY } from './crash-guilty-daily.rollup';
import { type FramePair, pairKey } from './backtrace';
import { CrashesRepository, CrashListFilter, CrashRow, CrashWindow, GuiltyMachineRow } from './crashes.repository';
import { guiltyLabel, shapeTopGuilty, TopGuiltyTable } from './crashes.query';
import { guiltyId } from './guilty';
import { AnnotatedGuilty, GuiltiesRepository, Guilty } from './guilties/guilties.repository';
import { NeverGuiltyRepository } from './never-guilty/never-guilty.repository';

/** clearlinux.md §8.4: at most 50 backtraces are shown for one guilty. */
export const CRASH_LIST_LIMIT = 50;

export type CrashDetail = CrashRow &
  Readonly<{
    frames: (CrashRow['frames'][number] & { guilty: boolean; neverGuilty: boolean })[];
  }>;

export type TopOfBuildRow = Readonly<{ rank: number; id: string; label: string; function: string; module: string; crashes: number; comment: string | null }>;
export type GuiltyDetail = Readonly<{ guilty: Guilty & Readonly<{ label: string }>; total: number; machines: GuiltyMachineRow[] }>;

/** Reads for the Crashes API and console: the rollup for counts, the hypertable for crash lists. */
@Injectable()
export class CrashesQueryService {
  constructor(
    private readonly crashes: CrashesRepository,
    private readonly neverGuilty: NeverGuiltyRepository,
    private readonly guilties: GuiltiesRepository,
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

  /** clearlinux.md §8.4 pie and column (all time). */
  async overview(): Promise<{ byClassification: { classification: string; crashes: number }[]; byBuild: { build: string; crashes: number }[] }> {
    await this.rollups.refresh(CLR_CRASH_GUILTY_DAILY.name, null, null);
    return { byClassification: await this.crashes.byClassification(), byBuild: await this.crashes.byBuild() };
  }

  /** clearlinux.md §8.4 `/crashes/<build>` (null = overall): top 10 guilties by crashes, all time, hidden ones left out. */
  async topOfBuild(build: string | null): Promise<TopOfBuildRow[]> {
    await this.rollups.refresh(CLR_CRASH_GUILTY_DAILY.name, null, null);
    const rows = await this.crashes.topGuiltyOfBuild(build);
    return rows.map((r, i) => ({ rank: i + 1, id: guiltyId(r), label: guiltyLabel(r), ...r }));
  }

  async byGuilty(guilty: FramePair, filter: CrashListFilter): Promise<{ total: number; crashes: CrashRow[] }> {
    const [total, crashes] = [await this.crashes.countByGuilty(guilty, filter), await this.crashes.byGuilty(guilty, filter, CRASH_LIST_LIMIT)];
    return { total, crashes };
  }

  /** clearlinux.md §8.4 guilty detail: the guilty (hidden ones too) and its crashes per (build, machine id). */
  async guilty(id: string): Promise<GuiltyDetail | undefined> {
    const guilty = await this.guilties.find(id);
    if (!guilty) return undefined;
    const machines = await this.crashes.guiltyByMachine(guilty);
    return { guilty: { ...guilty, label: guiltyLabel(guilty) }, total: machines.reduce((n, m) => n + m.crashes, 0), machines };
  }

  /** Guilties that were hidden or commented: hidden ones stay reachable from here. */
  annotated(): Promise<AnnotatedGuilty[]> {
    return this.guilties.annotated();
  }

  findGuilty(id: string): Promise<Guilty | undefined> {
    return this.guilties.find(id);
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
