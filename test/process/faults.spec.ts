import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { PlatformProcess } from '../support/platform-process';
import { processHarness } from '../support/process-harness';
import { Answer, faultVerdict, recordBurst, storedRecords } from '../support/record-burst';

const TOKEN = 'faults-admin-token-0123456789';
const ROOT = join(__dirname, '..', '..');
/**
 * Which servers this run may stop and start again with the ops/ scripts (comma list: `database` =
 * ops/timescaledb, `kafka` = ops/kafka). Only .ci/run sets it, in the stage that owns those servers: stopping a
 * server under someone else's tests would fail theirs.
 */
const FAULT_SERVERS = new Set((process.env.FAULT_SERVERS ?? '').split(',').map((s) => s.trim()).filter(Boolean));

/**
 * Faults under load against the real process (src/main.ts in a child) on the database and event log of the CI
 * stage: kill -9 mid-burst in every mode; the database, and Kafka, stopped and started again while clients send.
 * Each prints a row of the fault table (sent, acknowledged, stored, lost, duplicated, 5xx).
 */
describe('faults under load', () => {
  const { start, withDatabase, mode } = processHarness('faults', TOKEN);

  it('kill -9 mid-burst: after a restart every acknowledged record is stored, each once', async () => {
    const machineId = randomBytes(16).toString('hex');
    const first = await start();
    const burst = recordBurst(() => first.base, machineId, 16);
    await burst.untilAcknowledged(300);
    await first.kill9();
    const answers = await burst.stop();

    const second = await start();
    await eventuallyCaughtUp(second);
    expect((await second.stop()).code).toBe(0);
    const stored = await withDatabase((db) => storedRecords(db, machineId));
    const verdict = faultVerdict('kill -9 mid-burst', await mode(), answers, stored);
    expect(verdict).toMatchObject({ lost: 0, duplicated: 0, serverErrors: 0 });
    expect(verdict.acknowledged).toBeGreaterThanOrEqual(300);
    // Every logged record projected once (the log may hold a few more: made durable, answer cut by the kill).
    expect(stored.copies.size).toBe(stored.logged);
  }, 240_000);

  const outage = (server: 'database' | 'kafka', scripts: string, test: string) =>
    (FAULT_SERVERS.has(server) ? it : it.skip)(test, async () => {
      const machineId = randomBytes(16).toString('hex');
      const platform = await start();
      const burst = recordBurst(() => platform.base, machineId, 8);
      await burst.untilAcknowledged(100);

      ops(`${scripts}/stop.sh`);
      const down = burst.answers().length;
      // Long enough for every client to see the outage (pool and producer timeouts are a few seconds).
      await new Promise((r) => setTimeout(r, 8000));
      const whileDown = burst.answers().slice(down);
      ops(`${scripts}/start.sh`);
      const back = burst.answers().length;
      const backAt = Date.now();
      // Recovery without restarting the app: new records are acknowledged again.
      await burst.untilAcknowledged(100, back, 120_000);
      const recoveredMs = (burst.answers().slice(back).find((a) => a.status === 201 || a.status === 200)?.at ?? Date.now()) - backAt;
      const answers = await burst.stop();
      await eventuallyCaughtUp(platform, 120_000);
      const stored = await withDatabase((db) => storedRecords(db, machineId));

      const verdict = faultVerdict(`${server} stopped and restarted under load`, await mode(), answers, stored);
      process.stdout.write(`${server} outage: ${whileDown.length} answers while down ${JSON.stringify(statusCounts(whileDown))}, first acknowledgement ${recoveredMs} ms after the restart\n`);
      expect(verdict).toMatchObject({ lost: 0, duplicated: 0, serverErrors: 0 });
      // While it was down: refusals the client retries (503 + Retry-After), never a dropped connection.
      expect(whileDown.filter((a) => a.status === 503).length).toBeGreaterThan(0);
      expect(answers.filter((a) => a.status === 0)).toEqual([]);
      expect(answers.filter((a) => ![200, 201, 503].includes(a.status))).toEqual([]);
      expect(stored.copies.size).toBe(stored.logged);
      expect((await fetch(`${platform.base}/healthz`)).status).toBe(200);
      // An outage is the deployment's failure, not the events': nothing was set aside as poison.
      const quarantine = await fetch(`${platform.base}/api/admin/projectors/quarantine`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(await quarantine.json()).toEqual([]);
    }, 420_000);

  outage('database', 'timescaledb', 'the database stopped and started under load: 503 + Retry-After while down, then recovery without a restart');
  outage('kafka', 'kafka', 'Kafka stopped and started under load: 503 + Retry-After while down, then recovery without a restart');

  /** Polls the admin status until every projector has applied everything logged. */
  async function eventuallyCaughtUp(platform: PlatformProcess, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      const res = await fetch(`${platform.base}/api/admin/status`, { headers: { authorization: `Bearer ${TOKEN}` } }).catch(() => undefined);
      if (res) {
        const body = (await res.json()) as { projectors?: { name: string; lag: number | null }[] };
        last = JSON.stringify(body.projectors ?? body);
        if (res.status === 200 && body.projectors?.every((p) => p.lag === 0)) return;
      }
      if (Date.now() > deadline) throw new Error(`projectors did not catch up: ${last}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
});

/** Runs an ops/ script (they need root, as in CI); a failure fails the test with the script's output. */
function ops(script: string): void {
  const result = spawnSync('bash', [join(ROOT, 'ops', script)], { encoding: 'utf8', timeout: 240_000 });
  if (result.status !== 0) throw new Error(`ops/${script} exited ${result.status}: ${result.stdout}${result.stderr}`);
}

function statusCounts(answers: readonly Answer[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of answers) counts[a.status] = (counts[a.status] ?? 0) + 1;
  return counts;
}
