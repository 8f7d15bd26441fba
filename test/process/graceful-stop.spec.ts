import { connect } from 'node:net';
import { randomBytes } from 'node:crypto';
import { v4Headers } from '../support/clearlinux-headers';
import type { PlatformProcess } from '../support/platform-process';
import { processHarness } from '../support/process-harness';
import { storedRecords } from '../support/record-burst';

const TOKEN = 'graceful-stop-admin-token-0123';
/** The correctness bound of a clean stop (a service manager's usual grace period is 10 s or more). */
const STOP_BOUND_MS = 10_000;

/**
 * SIGTERM/SIGINT on the real process (src/main.ts in a child): in-flight requests are answered, the
 * micro-batch is written, projectors commit, the database is closed and the process exits 0 within 10 s;
 * a second signal ends it at once. Runs on the embedded database, or on DATABASE_URL's server (and Kafka
 * with KAFKA_BROKERS), like every integration test.
 */
describe('stopping the platform with a signal', () => {
  const { start, withDatabase } = processHarness('stop', TOKEN);

  it('answers, writes and projects every acknowledged record of a burst cut by SIGTERM, exactly once', async () => {
    const machineId = randomBytes(16).toString('hex');
    const first = await start();
    const acknowledged: string[] = [];
    const failedBeforeSignal: number[] = [];
    let signalled = false;
    let stopping = false;
    const exitedFirst = first.exited.then(() => (stopping = true));
    const post = async (eventId: string) => {
      const res = await fetch(`${first.base}/v2/collector`, {
        method: 'POST',
        headers: v4Headers({ machine_id: machineId, event_id: eventId, creation_timestamp: String(Math.floor(Date.now() / 1000)) }),
        body: `burst record ${eventId}`,
      });
      await res.arrayBuffer();
      return res.status;
    };
    // Concurrent clients post new records until the process is gone; a request refused or cut while the
    // process stops is simply not acknowledged (a real client retries it later).
    const client = async () => {
      while (!stopping) {
        const eventId = randomBytes(16).toString('hex');
        const status = await post(eventId).catch(() => 0);
        if (status === 201 || status === 200) acknowledged.push(eventId);
        else if (!signalled) failedBeforeSignal.push(status);
      }
    };
    const clients = Array.from({ length: 24 }, client);
    while (acknowledged.length < 150 && first.child.exitCode === null) await new Promise((r) => setTimeout(r, 5));
    const ackedBeforeSignal = acknowledged.length;
    const signalledAt = performance.now();
    signalled = true;
    first.child.kill('SIGTERM');
    const exit = await first.exited;
    await exitedFirst;
    await Promise.all(clients);

    expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 0, signal: null });
    expect(exit.at - signalledAt).toBeLessThan(STOP_BOUND_MS);
    expect(ackedBeforeSignal).toBeGreaterThanOrEqual(150);
    expect(failedBeforeSignal).toEqual([]);
    // Requests that were in flight when the signal came were answered, not dropped.
    expect(acknowledged.length).toBeGreaterThan(ackedBeforeSignal);
    expect(first.output()).toMatch(/stopped after \d+ ms/);

    // Restarted on the same data: the projectors finish whatever the first process had logged but not yet
    // projected; then a second clean stop, and the database is read directly.
    const second = await start();
    await eventuallyCaughtUp(second);
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);

    const found = await withDatabase((db) => storedRecords(db, machineId));
    expect(acknowledged.filter((id) => !found.copies.has(id))).toEqual([]);
    expect([...found.copies.values()].filter((copies) => copies !== 1)).toEqual([]);
    // Every logged record projected once: nothing lost between log and projection, nothing applied twice.
    // (It may exceed the acknowledged count: a record made durable whose answer the stop cut off.)
    expect(found.copies.size).toBe(found.logged);
    expect(found.logged).toBeGreaterThanOrEqual(acknowledged.length);
  });

  it('does not let a client that never finishes its request hold the stop past the drain deadline', async () => {
    const platform = await start();
    const stalled = await stalledRequest(platform.base);
    const signalledAt = performance.now();
    platform.child.kill('SIGTERM');
    const exit = await platform.exited;
    stalled.destroy();
    expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 0, signal: null });
    expect(exit.at - signalledAt).toBeLessThan(STOP_BOUND_MS);
    expect(platform.output()).toContain('connections still open after');
  });

  it.each([
    ['SIGTERM', 'SIGTERM', 143],
    ['SIGINT', 'SIGINT', 130],
    ['SIGTERM', 'SIGINT', 130],
  ] as const)('exits at once with a non-zero code on a second signal (%s, then %s)', async (firstSignal, secondSignal, code) => {
    const platform = await start();
    // A request that never completes keeps the first stop waiting (until the drain deadline, 5 s).
    const stalled = await stalledRequest(platform.base);
    platform.child.kill(firstSignal);
    await platform.waitForOutput(`${firstSignal}: stopping`, 5000);
    // Past the window in which a repeat counts as the same request (npm and a terminal both deliver Ctrl-C).
    await new Promise((r) => setTimeout(r, 700));
    expect(platform.child.exitCode).toBeNull();
    const signalledAt = performance.now();
    platform.child.kill(secondSignal);
    const exit = await platform.exited;
    stalled.destroy();
    expect({ code: exit.code, signal: exit.signal }).toEqual({ code, signal: null });
    expect(exit.at - signalledAt).toBeLessThan(1000);
  });

  it('treats a repeat within half a second as the same stop request (Ctrl-C under npm arrives twice)', async () => {
    const platform = await start();
    const stalled = await stalledRequest(platform.base);
    const signalledAt = performance.now();
    platform.child.kill('SIGINT');
    await platform.waitForOutput('SIGINT: stopping', 5000);
    platform.child.kill('SIGINT');
    const exit = await platform.exited;
    stalled.destroy();
    // The stop ran to its end (the drain deadline, then a clean close) instead of exiting 130.
    expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 0, signal: null });
    expect(exit.at - signalledAt).toBeLessThan(STOP_BOUND_MS);
    expect(platform.output()).toContain('connections still open after');
    expect(platform.output()).toMatch(/stopped after \d+ ms/);
  });

  /** Polls the admin status until every projector has applied everything logged. */
  async function eventuallyCaughtUp(platform: PlatformProcess): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const res = await fetch(`${platform.base}/api/admin/status`, { headers: { authorization: `Bearer ${TOKEN}` } });
      const body = (await res.json()) as { projectors: { name: string; lag: number | null }[] };
      if (res.status === 200 && body.projectors.every((p) => p.lag === 0)) return;
      if (Date.now() > deadline) throw new Error(`projectors did not catch up: ${JSON.stringify(body.projectors)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
});

/** A POST whose body never arrives in full: an in-flight request the server must not wait for forever. */
async function stalledRequest(base: string): Promise<import('node:net').Socket> {
  const { hostname, port } = new URL(base);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.write(`POST /v2/collector HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/text\r\nContent-Length: 100000\r\n\r\npartial`);
  socket.on('error', () => undefined);
  // Give the server a moment to parse the headers, so the request counts as in flight.
  await new Promise((r) => setTimeout(r, 200));
  return socket;
}
