import { constants } from 'node:os';

export type StopTimings = Readonly<{
  /** After this long, connections still open (a client that never finishes its body) are cut. */
  drainMs: number;
  /** After this long the stop is given up and the process exits 1 (a service manager would SIGKILL soon after). */
  deadlineMs: number;
  /**
   * A repeat of a signal this soon after the first is the same request: a terminal's Ctrl-C reaches the whole
   * process group and npm forwards it to the app as well, and systemd signals every process of the unit.
   */
  repeatWindowMs: number;
}>;

/** SHUTDOWN_TIMEOUT_S as timings: open connections are cut after half of it (at most 5 s), the stop given up after all of it. */
export function stopTimings(shutdownTimeoutS: number): StopTimings {
  const deadlineMs = shutdownTimeoutS * 1000;
  return { deadlineMs, drainMs: Math.min(5000, Math.floor(deadlineMs / 2)), repeatWindowMs: 500 };
}

export const DEFAULT_STOP_TIMINGS: StopTimings = stopTimings(10);

export type StopHooks = Readonly<{
  /** Stops the app (HTTP server, background work, database); resolves once everything is closed. */
  stop: (signal: NodeJS.Signals) => Promise<void>;
  /** Ends connections that are still open when `drainMs` has passed. */
  cutConnections: () => void;
  log: (level: 'log' | 'warn' | 'error', message: string) => void;
  exit: (code: number) => void;
  /** What has started stopping and not finished yet (see StopProgress), named in the line logged at the deadline. */
  pending?: () => readonly string[];
}>;

/**
 * SIGTERM/SIGINT stop the process cleanly: `stop` runs once, then the process exits 0 (1 when stopping
 * failed or took longer than `deadlineMs`). A second signal during the stop exits at once with 128 + its
 * number, as a shell reports a process killed by it. Installed before start-up, so a signal that arrives
 * while the database opens still ends in a clean stop once the app is up.
 */
export function handleStopSignals(hooks: StopHooks, timings: StopTimings = DEFAULT_STOP_TIMINGS): () => void {
  const onSignal = stopSignalHandler(hooks, timings);
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];
  for (const s of signals) process.on(s, onSignal);
  return () => signals.forEach((s) => process.off(s, onSignal));
}

/** The reaction to one stop signal, without installing it (handleStopSignals does; unit tests call it). */
export function stopSignalHandler(hooks: StopHooks, timings: StopTimings = DEFAULT_STOP_TIMINGS): (signal: NodeJS.Signals) => void {
  let firstAt: number | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (firstAt === undefined) {
      firstAt = Date.now();
      hooks.log('log', `${signal}: stopping (send it again to exit at once)`);
      void stopOnce(signal);
    } else if (Date.now() - firstAt >= timings.repeatWindowMs) {
      hooks.log('warn', `${signal} again: exiting without finishing the stop`);
      hooks.exit(128 + constants.signals[signal]);
    }
  };
  const stopOnce = async (signal: NodeJS.Signals) => {
    const drain = setTimeout(() => {
      hooks.log('warn', `connections still open after ${timings.drainMs} ms: closing them`);
      hooks.cutConnections();
    }, timings.drainMs);
    const deadline = setTimeout(() => {
      const pending = hooks.pending?.() ?? [];
      const what = pending.length > 0 ? `still stopping: ${pending.join(', ')}` : 'nothing reported as stopping';
      hooks.log('error', `not stopped within ${timings.deadlineMs} ms (SHUTDOWN_TIMEOUT_S), ${what}: exiting`);
      hooks.exit(1);
    }, timings.deadlineMs);
    // Neither timer may keep a process alive that has nothing else left to do.
    drain.unref();
    deadline.unref();
    try {
      await hooks.stop(signal);
      hooks.log('log', `stopped after ${Date.now() - firstAt!} ms`);
      hooks.exit(0);
    } catch (err) {
      hooks.log('error', `stopping failed: ${err instanceof Error ? err.stack : String(err)}`);
      hooks.exit(1);
    } finally {
      clearTimeout(drain);
      clearTimeout(deadline);
    }
  };
  return onSignal;
}
