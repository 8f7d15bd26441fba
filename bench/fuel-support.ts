import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AdminToken } from '../src/auth/admin-token';
import { AppConfig, loadConfig } from '../src/config/app-config';
import { createApp } from '../src/create-app';
import { deleteTopics } from '../src/event-log/kafka-event-log';
import { benchServerDatabase } from './support';

export const BENCH_ADMIN_TOKEN = 'bench-admin-token-0123456789';

export type BenchApp = Readonly<{ app: NestFastifyApplication; config: AppConfig; port: number; mode: string; close: () => Promise<void> }>;

/**
 * The real app listening on 127.0.0.1 on a fresh database (embedded in a temp dir, or a throw-away
 * database on DATABASE_URL's server) and, with KAFKA_BROKERS, fresh topics that are deleted afterwards.
 */
export async function startBenchApp(): Promise<BenchApp> {
  const run = randomUUID().slice(0, 8);
  const dataDir = mkdtempSync(join(tmpdir(), 'tp-bench-fuel-'));
  const server = process.env.DATABASE_URL ? await benchServerDatabase(process.env.DATABASE_URL) : undefined;
  const topicPrefix = `bench-${run}.`;
  const config = loadConfig({ ...process.env, DATABASE_URL: server?.url ?? '', KAFKA_TOPIC_PREFIX: topicPrefix, DATA_DIR: dataDir, LOG_LEVEL: 'error' });
  const app = await createApp(config, AdminToken.of(BENCH_ADMIN_TOKEN));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.getHttpServer().address() as { port: number };
  const mode = config.databaseUrl ? (config.kafkaBrokers.length ? 'timescaledb+kafka' : 'external') : 'embedded';
  return {
    app,
    config,
    port,
    mode,
    close: async () => {
      await app.close();
      await server?.drop();
      if (config.kafkaBrokers.length > 0) await deleteTopics(config.kafkaBrokers, topicPrefix);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
