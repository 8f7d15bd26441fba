import { Logger } from '@nestjs/common';
import { logLevel, LogEntry } from 'kafkajs';

const logger = new Logger('kafkajs');

/**
 * kafkajs logCreator that writes through the application's logger (JSON lines, LOG_LEVEL applies), so broker
 * disconnects, rebalances and retries show up next to the platform's own lines instead of nowhere.
 */
export function kafkaLogCreator(): (entry: LogEntry) => void {
  return ({ namespace, level, log }) => {
    const { message, timestamp: _timestamp, logger: _logger, ...fields } = log as LogEntry['log'] & { logger?: string };
    const entry = { msg: message, namespace, ...fields };
    if (level === logLevel.ERROR) logger.error(entry);
    else if (level === logLevel.WARN) logger.warn(entry);
    else if (level === logLevel.INFO) logger.log(entry);
    else logger.debug(entry);
  };
}

/** kafkajs debug lines cost a string per request even when dropped; info and above are what operators read. */
export const KAFKA_LOG_LEVEL = logLevel.INFO;
