import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { openDatabase } from '../../src/database/open-database';
import { freshDatabase, KAFKA_BROKERS, SERVER_URL, TestDatabase } from '../support/database';

/**
 * An acknowledged append survives kill -9: a real child process appends as fast as it can, is SIGKILLed
 * mid-stream, and every id it printed as acknowledged must be found in the log afterwards.
 */
describe('kill -9 right after acknowledged appends', () => {
  const root = join(__dirname, '..', '..');
  const runId = randomUUID();

  async function runAndKill(env: Record<string, string>, acksBeforeKill: number): Promise<string[]> {
    const child = spawn(process.execPath, ['-r', join(root, 'test/support/ts-register.js'), join(root, 'test/support/append-worker.ts')], {
      cwd: root,
      env: { ...process.env, ...env, RUN_ID: runId, LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acked: string[] = [];
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    let buffer = '';
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker too slow; stderr: ${stderr}`)), 90_000);
      child.stdout.on('data', (chunk) => {
        buffer += chunk;
        const lines = buffer.split('\n');
        buffer = lines.pop()!;
        for (const line of lines) if (line.startsWith('ack ')) acked.push(line.slice(4));
        if (acked.length >= acksBeforeKill) {
          clearTimeout(timer);
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', (code) => code !== null && reject(new Error(`worker exited ${code}: ${stderr}`)));
    });
    await exited;
    return acked;
  }

  it('keeps every acknowledged event (Postgres log)', async () => {
    let database: TestDatabase | undefined;
    let dataDir: string | undefined;
    const env: Record<string, string> = { KAFKA_BROKERS: '' };
    if (SERVER_URL) {
      database = await freshDatabase();
      env.DATABASE_URL = database.url!;
    } else {
      dataDir = mkdtempSync(join(tmpdir(), 'tp-kill-'));
      env.DATA_DIR = dataDir;
    }
    const acked = await runAndKill(env, 400);
    const reopened = database ?? (await openDatabase({ dataDir: dataDir!, dbPoolSize: 1 }));
    try {
      const rows = await reopened.db.query<{ id: string }>('SELECT id::text AS id FROM event_log WHERE id = ANY($1::uuid[])', [acked]);
      expect(acked.length).toBeGreaterThanOrEqual(400);
      expect(new Set(rows.map((r) => r.id)).size).toBe(acked.length);
    } finally {
      if (database) await database.drop();
      else {
        await reopened.close();
        rmSync(dataDir!, { recursive: true, force: true });
      }
    }
  });

  (KAFKA_BROKERS.length > 0 ? it : it.skip)('keeps every acknowledged event (Kafka log; needs KAFKA_BROKERS)', async () => {
    const database = await freshDatabase();
    try {
      const acked = await runAndKill({ DATABASE_URL: database.url!, KAFKA_BROKERS: KAFKA_BROKERS.join(','), KAFKA_CLIENT_ID: `kill-${runId}`, KAFKA_TOPIC_PREFIX: `kill-${runId}.` }, 400);
      const kafka = new Kafka({ clientId: `verify-${runId}`, brokers: KAFKA_BROKERS, logLevel: logLevel.NOTHING });
      const consumer = kafka.consumer({ groupId: `verify-${runId}` });
      const wanted = new Set(acked);
      await consumer.connect();
      await consumer.subscribe({ topic: 'platform.admin', fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${wanted.size} acknowledged events missing from Kafka`)), 60_000);
        void consumer.run({
          eachMessage: async ({ message }) => {
            wanted.delete(JSON.parse(message.value!.toString()).id);
            if (wanted.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        });
      });
      await consumer.disconnect();
      expect(wanted.size).toBe(0);
    } finally {
      await database.drop();
    }
  });
});
