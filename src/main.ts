import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Server } from 'node:http';
import { AdminToken } from './auth/admin-token';
import { ConfigError, loadConfig } from './config/app-config';
import { createApp } from './create-app';
import { StopProgress, trackShutdown } from './stop-progress';
import { handleStopSignals, stopTimings } from './stop-signals';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`configuration error: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = new Logger('main');
  let app: NestFastifyApplication | undefined;
  let started: Promise<void> | undefined;
  const progress = new StopProgress();
  // app.close() runs Nest's shutdown hooks: modules stop their background work, the HTTP server stops
  // accepting and answers what is in flight, then the platform flushes the log, lets the projectors
  // commit and closes the database.
  handleStopSignals({
    stop: async () => {
      await started;
      await app?.close();
    },
    cutConnections: () => (app?.getHttpServer() as Server | undefined)?.closeAllConnections(),
    log: (level, message) => logger[level](message),
    exit: (code) => process.exit(code),
    pending: () => progress.pending(),
  }, stopTimings(config.shutdownTimeoutS));
  const { token, generatedAt } = AdminToken.resolve(config.adminToken, config.dataDir);
  started = progress.track('start-up', async () => {
    app = await createApp(config, token);
    trackShutdown(app, progress);
    await app.listen({ port: config.port, host: config.host, backlog: 1024 });
  });
  await started;
  logger.log(`listening on http://${config.host}:${config.port} (console /console, API docs /api/docs)`);
  if (generatedAt) logger.log(`console/admin token is in ${generatedAt} (set ADMIN_TOKEN to choose one)`);
}

main().catch((err) => {
  process.stderr.write(`start-up failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
