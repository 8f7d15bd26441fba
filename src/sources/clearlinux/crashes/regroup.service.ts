import { Injectable, Logger } from '@nestjs/common';
import { RollupInstaller } from '../../../database/rollup-installer';
import { CLR_CRASH_GUILTY_DAILY } from './crash-guilty-daily.rollup';
import { ProjectorRuntime, ReplayProgress } from '../../../event-log/projector-runtime';
import { CRASHES_PROJECTOR } from './crashes.projection';
import { CrashesRepository } from './crashes.repository';
import { diffGroups, GroupCount, GroupDiff } from './group-diff';
import { NeverGuiltyList, NeverGuiltyRepository, neverGuiltyHash } from './never-guilty/never-guilty.repository';
import { neverGuiltyProjector } from './never-guilty/never-guilty.projection';

export type RegroupStatus = Readonly<{
  state: 'idle' | 'running' | 'done' | 'failed';
  /** What triggered it (the edits, newest last). */
  reasons: readonly string[];
  startedAt?: string;
  finishedAt?: string;
  progress?: ReplayProgress;
  diff?: GroupDiff;
  error?: string;
}>;

/**
 * Regrouping after a never-guilty edit (spec clearlinux.md §7.5): once the list's projector has the edit, reload the
 * list, replay the crashes projector from the log (every crash re-processed with the list as it is
 * now; progress from the runtime), refresh the rollup, and keep the before/after diff of the groups.
 * Edits arriving while a replay runs are coalesced into one more replay, and the diff then spans all
 * of them (before = before the first).
 */
@Injectable()
export class RegroupService {
  private readonly logger = new Logger('clearlinux-regroup');
  private status: RegroupStatus = { state: 'idle', reasons: [] };
  private pending: string[] = [];
  private running: Promise<void> | undefined;

  constructor(
    private readonly runtime: ProjectorRuntime,
    private readonly crashes: CrashesRepository,
    private readonly list: NeverGuiltyList,
    private readonly neverGuilty: NeverGuiltyRepository,
    private readonly rollups: RollupInstaller,
  ) {}

  /**
   * Start-up check: if the crashes were grouped with another list than the current one (the process
   * stopped after an edit was logged but before its regroup finished), regroup now. A regroup that was
   * interrupted mid-replay needs nothing: the replay's truncate and checkpoint reset committed together,
   * so the live feed simply carries on projecting the rest with the current list.
   */
  async regroupIfStale(): Promise<boolean> {
    await this.runtime.catchUp([neverGuiltyProjector.name, CRASHES_PROJECTOR], 120_000);
    const stale = await this.neverGuilty.staleGrouping(neverGuiltyHash(await this.neverGuilty.list()));
    if (stale === null) return false;
    this.logger.warn('crashes were grouped with an older never-guilty list; regrouping');
    this.request('start-up: crashes grouped with an older never-guilty list');
    return true;
  }

  current(): RegroupStatus {
    return this.status;
  }

  /** Starts (or queues) a regroup; resolves at once with the status. */
  request(reason: string): RegroupStatus {
    this.pending.push(reason);
    this.start();
    return this.status.state === 'running' ? this.status : { state: 'running', reasons: [...this.pending] };
  }

  private start(): void {
    if (this.running) return;
    this.running = this.run().finally(() => {
      this.running = undefined;
      // An edit that arrived after the last replay began its final steps gets its own run.
      if (this.pending.length > 0) this.start();
    });
  }

  /** For tests and shutdown: resolves when no regroup is running. */
  async settled(): Promise<RegroupStatus> {
    while (this.running) await this.running;
    return this.status;
  }

  private async run(): Promise<void> {
    const reasons: string[] = [];
    let before: GroupCount[] | undefined;
    const startedAt = new Date().toISOString();
    try {
      while (this.pending.length > 0) {
        reasons.push(...this.pending.splice(0));
        this.status = { state: 'running', reasons: [...reasons], startedAt };
        await this.runtime.catchUp([neverGuiltyProjector.name, CRASHES_PROJECTOR], 120_000);
        before ??= await this.crashes.groupCounts();
        await this.list.reload();
        await this.runtime.replay(CRASHES_PROJECTOR, (progress) => {
          this.status = { state: 'running', reasons: [...reasons], startedAt, progress };
        });
      }
      await this.rollups.refresh(CLR_CRASH_GUILTY_DAILY.name, null, null);
      const diff = diffGroups(before ?? [], await this.crashes.groupCounts());
      this.status = { ...this.status, state: 'done', finishedAt: new Date().toISOString(), diff };
      this.logger.log(`regrouped crashes: ${diff.changes.length} group(s) changed, ${diff.totalBefore} → ${diff.totalAfter} crashes`);
    } catch (err) {
      this.pending = [];
      this.status = { ...this.status, state: 'failed', finishedAt: new Date().toISOString(), error: (err as Error).message };
      this.logger.error(`regroup failed: ${(err as Error).message}`);
    }
  }
}
