import { writeSync } from 'node:fs';
import { loadConfig } from '../../src/config/app-config';
import { openDatabase } from '../../src/database/open-database';
import { newEventId } from '../../src/event-log/event';
import { createEventInfrastructure } from '../../src/event-log/event-infrastructure';
import { Metrics } from '../../src/metrics/metrics';

/**
 * Child process for the kill -9 test: appends events from 16 concurrent writers through the configured
 * log and prints "ack <id>" (synchronously) for each acknowledged one, until it is killed.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const database = await openDatabase(config);
  const { log } = createEventInfrastructure(config, database.db, new Metrics(false), () => undefined);
  await log.start();
  writeSync(1, 'ready\n');
  const writer = async () => {
    for (;;) {
      const id = newEventId();
      await log.appendOne({ id, type: 'test.durability.checked', version: 1, stream: 'platform.admin', source: 'test', key: id.slice(-4), receivedAt: new Date().toISOString(), data: { run: process.env.RUN_ID } });
      writeSync(1, `ack ${id}\n`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, writer));
}

main().catch((err) => {
  writeSync(2, `${(err as Error).stack}\n`);
  process.exit(1);
});
