import { closeSync, existsSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** The embedded database serves one process: a second one on the same DATA_DIR stops with this. */
export class DataDirInUse extends Error {
  constructor(dataDir: string, holder: string) {
    super(
      `DATA_DIR ${dataDir} is in use by another process (${holder}): the embedded database serves one process. ` +
        `Stop that one, use another DATA_DIR, or set DATABASE_URL to run several instances on one PostgreSQL/TimescaleDB server`,
    );
    this.name = 'DataDirInUse';
  }
}

export type DataDirLock = Readonly<{ release: () => void }>;

type Holder = { pid: number; host: string; startedAt: string };

/**
 * A lock file (`DATA_DIR/embedded.lock`, created exclusively) naming the process that owns the embedded
 * database. One left by a process that is gone (kill -9, power loss) is taken over: its pid is not alive
 * on this host, or is our own pid (a container restarted with the same pid 1), or is now some other
 * program than node.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const file = join(dataDir, 'embedded.lock');
  const me: Holder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, `${JSON.stringify(me)}\n`);
      closeSync(fd);
      return {
        release: () => {
          if (existsSync(file) && readHolder(file)?.pid === me.pid) unlinkSync(file);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = readHolder(file);
    if (holder && holder.host === me.host && holder.pid !== me.pid && isRunningNode(holder.pid)) {
      throw new DataDirInUse(dataDir, `pid ${holder.pid} on ${holder.host}, started ${holder.startedAt}`);
    }
    if (holder && holder.host !== me.host) {
      throw new DataDirInUse(dataDir, `pid ${holder.pid} on host ${holder.host}, started ${holder.startedAt}; if that host is gone, delete ${file}`);
    }
    unlinkSync(file); // stale (or unreadable: a crash mid-write)
  }
  throw new Error(`could not create ${file}`);
}

function readHolder(file: string): Holder | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Holder;
  } catch {
    return undefined;
  }
}

function isRunningNode(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return /node/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return true; // no /proc (not Linux): alive is all we know
  }
}
