import { ConfigError, loadConfig, runtimeMode } from '../../../src/config/app-config';

describe('loadConfig', () => {
  it('uses the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 8080, dataDir: './data', logLevel: 'info', kafkaBrokers: [], databaseUrl: undefined, dbPoolSize: 10 });
    expect(runtimeMode(c)).toBe('embedded');
  });

  it('derives the mode from DATABASE_URL and KAFKA_BROKERS', () => {
    expect(runtimeMode(loadConfig({ DATABASE_URL: 'postgres://u@h:5432/d' }))).toBe('external');
    expect(runtimeMode(loadConfig({ DATABASE_URL: 'postgres://u@h:5432/d', KAFKA_BROKERS: 'a:9092, b:9093' }))).toBe('full');
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/d', KAFKA_BROKERS: 'a:9092, b:9093' }).kafkaBrokers).toEqual(['a:9092', 'b:9093']);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT must be a whole number, got "eighty"'],
    [{ PORT: '70000' }, 'PORT must be between 0 and 65535, got 70000'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must start with postgres: or postgresql://'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL must be a URL like postgres://user@host:5432/db'],
    [{ KAFKA_BROKERS: 'k:9092' }, 'KAFKA_BROKERS needs DATABASE_URL: projections and checkpoints live in an external database'],
    [{ DATABASE_URL: 'postgres://h/d', KAFKA_BROKERS: 'nohost' }, 'KAFKA_BROKERS must be host:port[,host:port], got "nohost"'],
    [{ ADMIN_TOKEN: 'short' }, 'ADMIN_TOKEN must be at least 16 characters long'],
    [{ DEDUPE_WINDOW_HOURS: '12' }, 'DEDUPE_WINDOW_HOURS must be between 24 and 100000, got 12'],
  ])('rejects %j with a one-line message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(new ConfigError(message));
  });
});
