import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AdminToken } from '../src/auth/admin-token';
import { AppConfig, loadConfig } from '../src/config/app-config';
import { createApp } from '../src/create-app';
import { adminQuery, databaseUrl } from '../src/database/server-admin';

export const BENCH_ADMIN_TOKEN = 'bench-admin-token-0123456789';

export type BenchApp = Readonly<{ app: NestFastifyApplication; config: AppConfig; port: number; mode: string; close: () => Promise<void> }>;

/**
 * The real app listening on 127.0.0.1 on a throw-away database: embedded in a temp dir, or a fresh
 * database on DATABASE_URL's server (never the named database itself, which other runs share), with
 * Kafka when KAFKA_BROKERS is set (a fresh client id, so a fresh consumer group).
 */
export async function startBenchApp(): Promise<BenchApp> {
  const run = randomUUID().replaceAll('-', '').slice(0, 12);
  const server = process.env.DATABASE_URL;
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  if (server) {
    const name = `bench_${run}`;
    await adminQuery(server, `CREATE DATABASE ${name}`);
    env = { DATABASE_URL: databaseUrl(server, name), KAFKA_CLIENT_ID: `bench-${run}` };
    cleanup = () => adminQuery(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } else {
    const dataDir = mkdtempSync(join(tmpdir(), 'tp-bench-fuel-'));
    env = { DATA_DIR: dataDir };
    cleanup = async () => rmSync(dataDir, { recursive: true, force: true });
  }
  const config = loadConfig({ ...process.env, ...env, LOG_LEVEL: 'error', PORT: '0' });
  const app = await createApp(config, AdminToken.of(BENCH_ADMIN_TOKEN));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.getHttpServer().address() as { port: number }).port;
  const mode = config.databaseUrl ? (config.kafkaBrokers.length ? 'timescaledb+kafka' : 'external') : 'embedded';
  return {
    app,
    config,
    port,
    mode,
    close: async () => {
      await app.close();
      await cleanup();
    },
  };
}
