import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { AdminToken } from './auth/admin-token';
import { ConfigError, loadConfig } from './config/app-config';
import { createApp } from './create-app';

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
  const { token, generatedAt } = AdminToken.resolve(config.adminToken, config.dataDir);
  const app = await createApp(config, token);
  await app.listen({ port: config.port, host: config.host, backlog: 1024 });
  const logger = new Logger('main');
  logger.log(`listening on http://${config.host}:${config.port} (console /console, API docs /api/docs)`);
  if (generatedAt) logger.log(`console/admin token is in ${generatedAt} (set ADMIN_TOKEN to choose one)`);
}

main().catch((err) => {
  process.stderr.write(`start-up failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
