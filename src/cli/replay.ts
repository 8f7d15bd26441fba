import 'reflect-metadata';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { AdminToken } from '../auth/admin-token';
import { loadConfig } from '../config/app-config';
import { ProjectorRuntime, ReplayProgress } from '../event-log/projector-runtime';

/**
 * `npm run replay -- <projector>`: rebuilds one projection from the event log, printing progress.
 * When the platform is running (embedded mode owns its database exclusively) the replay runs inside
 * it through the admin API; otherwise this process opens the database and replays itself.
 */
async function main(): Promise<void> {
  const name = process.argv[2];
  const config = loadConfig(process.env);
  const token = config.adminToken ?? readTokenFile(config.dataDir);
  if (!name) {
    process.stderr.write('usage: npm run replay -- <projector>\n');
    process.exit(2);
  }
  const base = `http://127.0.0.1:${config.port}`;
  const running = await fetch(`${base}/healthz`).then(() => true, () => false);
  const final = running ? await replayRemotely(base, name, token) : await replayLocally(name);
  if (final.error) throw new Error(final.error);
  process.stdout.write(`replayed ${name}: ${final.processed} events\n`);
}

async function replayRemotely(base: string, name: string, token: string | undefined): Promise<ReplayProgress> {
  if (!token) throw new Error('the platform is running: set ADMIN_TOKEN (or keep DATA_DIR/admin-token) to use its admin API');
  const headers = { authorization: `Bearer ${token}` };
  const started = await fetch(`${base}/api/admin/projectors/${encodeURIComponent(name)}/replay`, { method: 'POST', headers });
  if (started.status !== 202) throw new Error(`replay refused: ${started.status} ${await started.text()}`);
  for (;;) {
    const progress = (await (await fetch(`${base}/api/admin/projectors/${encodeURIComponent(name)}/replay`, { headers })).json()) as ReplayProgress;
    print(progress);
    if (progress.done) return progress;
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function replayLocally(name: string): Promise<ReplayProgress> {
  // `ignore`: this process rebuilds the one projector it was asked for, not every out-of-date one.
  const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', PROJECTOR_VERSION_CHANGE: 'ignore' });
  const app = await NestFactory.createApplicationContext(AppModule.forRoot({ config, env: process.env, adminToken: AdminToken.of('x'.repeat(32)) }), {
    logger: ['error', 'warn'],
  });
  try {
    return await app.get(ProjectorRuntime).replay(name, print);
  } finally {
    await app.close();
  }
}

function print(p: ReplayProgress): void {
  const pct = p.total > 0 ? Math.round((100 * p.processed) / p.total) : 100;
  process.stdout.write(`${p.projector}: ${p.processed}/${p.total} events (${pct}%)${p.done ? ' done' : ''}\n`);
}

function readTokenFile(dataDir: string): string | undefined {
  const file = join(dataDir, 'admin-token');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

main().catch((err) => {
  process.stderr.write(`replay failed: ${(err as Error).message}\n`);
  process.exit(1);
});
