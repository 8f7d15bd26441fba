import { randomBytes } from 'node:crypto';
import type { Queryable } from '../../src/database/database';
import { v4Headers } from './clearlinux-headers';

/** One answer as a client saw it: status 0 = no answer (connection refused or cut). */
export type Answer = Readonly<{ at: number; status: number; retryAfter: boolean; eventId: string }>;

export type RecordBurst = Readonly<{
  /** Every answer so far, in the order they came. */
  answers: () => readonly Answer[];
  acknowledged: () => string[];
  /** Resolves once `n` more records than at `since` (an index into answers()) were acknowledged. */
  untilAcknowledged: (n: number, since?: number, timeoutMs?: number) => Promise<void>;
  /** Stops the clients after their requests in flight and resolves with every answer. */
  stop: () => Promise<readonly Answer[]>;
}>;

/**
 * Concurrent Clear Linux clients posting new v4 records (a fresh event id each, one machine id per burst)
 * to `base()` until stopped, as the real client does: each waits for its answer before the next record.
 * Nothing is retried here, so "acknowledged" is exactly the records a 200/201 was sent for.
 */
export function recordBurst(base: () => string, machineId: string, clients: number): RecordBurst {
  const answers: Answer[] = [];
  let stopping = false;
  const post = async (): Promise<void> => {
    const eventId = randomBytes(16).toString('hex');
    let status = 0;
    let retryAfter = false;
    try {
      const res = await fetch(`${base()}/v2/collector`, {
        method: 'POST',
        headers: v4Headers({ machine_id: machineId, event_id: eventId, creation_timestamp: String(Math.floor(Date.now() / 1000)) }),
        body: `burst record ${eventId}`,
        signal: AbortSignal.timeout(70_000),
      });
      await res.arrayBuffer();
      status = res.status;
      retryAfter = res.headers.has('retry-after');
    } catch {
      // no answer: refused, reset or timed out
      await new Promise((r) => setTimeout(r, 50));
    }
    answers.push({ at: Date.now(), status, retryAfter, eventId });
  };
  const running = Array.from({ length: clients }, async () => {
    while (!stopping) await post();
  });
  const acknowledged = (from = 0) => answers.slice(from).filter((a) => a.status === 200 || a.status === 201).map((a) => a.eventId);
  return {
    answers: () => answers,
    acknowledged: () => acknowledged(),
    untilAcknowledged: async (n, since = 0, timeoutMs = 90_000) => {
      const deadline = Date.now() + timeoutMs;
      while (acknowledged(since).length < n) {
        if (Date.now() > deadline) throw new Error(`only ${acknowledged(since).length} of ${n} acknowledged in ${timeoutMs} ms; last answers ${JSON.stringify(answers.slice(-5))}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    stop: async () => {
      stopping = true;
      await Promise.all(running);
      return answers;
    },
  };
}

export type Stored = Readonly<{ copies: ReadonlyMap<string, number>; logged: number }>;

/** The records of one machine id as the database holds them, and how many the event log has. */
export async function storedRecords(db: Queryable, machineId: string): Promise<Stored> {
  const rows = await db.query<{ event_id: string; copies: number }>(
    'SELECT event_id, count(*)::int AS copies FROM records WHERE machine_id = $1 GROUP BY event_id',
    [machineId],
  );
  const [{ logged }] = await db.query<{ logged: number }>(
    `SELECT count(*)::int AS logged FROM event_log WHERE type = 'clearlinux.record.accepted' AND key = $1`,
    [machineId],
  );
  return { copies: new Map(rows.map((r) => [r.event_id, r.copies])), logged };
}

export type FaultVerdict = Readonly<{
  sent: number;
  acknowledged: number;
  stored: number;
  lost: number;
  duplicated: number;
  /** 5xx answers other than 503 with Retry-After. */
  serverErrors: number;
}>;

/** Counts what a fault did to a burst, and prints it as one row of the fault table (closing notes quote it). */
export function faultVerdict(test: string, mode: string, answers: readonly Answer[], stored: Stored): FaultVerdict {
  const acked = answers.filter((a) => a.status === 200 || a.status === 201).map((a) => a.eventId);
  const verdict: FaultVerdict = {
    sent: answers.length,
    acknowledged: acked.length,
    stored: stored.copies.size,
    lost: acked.filter((id) => !stored.copies.has(id)).length,
    duplicated: [...stored.copies.values()].filter((n) => n > 1).length,
    serverErrors: answers.filter((a) => a.status >= 500 && !(a.status === 503 && a.retryAfter)).length,
  };
  const ok = verdict.lost === 0 && verdict.duplicated === 0 && verdict.serverErrors === 0;
  process.stdout.write(
    `fault table | ${test} | ${mode} | ${verdict.sent} | ${verdict.acknowledged} | ${verdict.stored} | ${verdict.lost} | ${verdict.duplicated} | ${verdict.serverErrors} | ${ok ? 'pass' : 'FAIL'}\n`,
  );
  return verdict;
}
