import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirInUse, lockDataDir } from '../../../src/database/data-dir-lock';

describe('lockDataDir', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'tp-lock-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const holder = (pid: number, host = hostname()) =>
    writeFileSync(join(dir, 'embedded.lock'), JSON.stringify({ pid, host, startedAt: '2026-01-01T00:00:00.000Z' }));

  it('creates the lock and removes it on release', () => {
    const lock = lockDataDir(dir);
    expect(existsSync(join(dir, 'embedded.lock'))).toBe(true);
    lock.release();
    expect(existsSync(join(dir, 'embedded.lock'))).toBe(false);
  });

  it('refuses while another node process holds it, naming it', async () => {
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], { stdio: 'ignore' });
    try {
      holder(other.pid!);
      expect(() => lockDataDir(dir)).toThrow(DataDirInUse);
      expect(() => lockDataDir(dir)).toThrow(new RegExp(`in use by another process \\(pid ${other.pid} `));
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('takes over a lock left by a process that is gone, or by our own pid (a restarted container)', () => {
    const dead = spawn(process.execPath, ['-e', '0']);
    holder(999_999_99);
    lockDataDir(dir).release();
    holder(process.pid);
    lockDataDir(dir).release();
    dead.kill();
  });

  it('refuses a lock held from another host', () => {
    holder(1, 'some-other-host');
    expect(() => lockDataDir(dir)).toThrow(/on host some-other-host/);
  });
});
