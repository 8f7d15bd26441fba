/**
 * Readers of single environment variables with defaults and bounds; each throws a ConfigError naming the
 * variable, which stops start-up with that one line. Shared by the platform config and every source's.
 */
export class ConfigError extends Error {}

export type Env = Readonly<Record<string, string | undefined>>;

export function raw(env: Env, key: string): string {
  return (env[key] ?? '').trim();
}

export function str(env: Env, key: string, fallback: string): string {
  return raw(env, key) || fallback;
}

export function matching(env: Env, key: string, pattern: RegExp, what: string): string {
  const value = raw(env, key);
  if (!pattern.test(value)) throw new ConfigError(`${key} must be ${what}, got "${value}"`);
  return value;
}

/** A whole number in [min, max]; `_` may group digits (`1_000_000`). */
export function int(env: Env, key: string, fallback: number, min: number, max: number): number {
  const value = raw(env, key).replaceAll('_', '');
  if (value === '') return fallback;
  if (!/^\d+$/.test(value)) throw new ConfigError(`${key} must be a whole number, got "${env[key]}"`);
  const n = Number(value);
  if (n < min || n > max) throw new ConfigError(`${key} must be between ${min} and ${max}, got ${n}`);
  return n;
}

export function list(env: Env, key: string): string[] {
  return raw(env, key)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export function oneOf<T extends string>(env: Env, key: string, allowed: readonly T[], fallback: T): T {
  const value = raw(env, key).toLowerCase();
  if (value === '') return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(`${key} must be one of ${allowed.join(', ')}, got "${value}"`);
  }
  return value as T;
}

export function optionalUrl(env: Env, key: string, protocols: string[]): string | undefined {
  const value = raw(env, key);
  if (value === '') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${key} must be a URL like postgres://user@host:5432/db`);
  }
  if (!protocols.includes(url.protocol)) throw new ConfigError(`${key} must start with ${protocols.join(' or ')}//`);
  return value;
}

export function minLength(env: Env, key: string, min: number): string {
  const value = raw(env, key);
  if (value.length < min) throw new ConfigError(`${key} must be at least ${min} characters long`);
  return value;
}

export function bool(env: Env, key: string, fallback: boolean): boolean {
  const value = raw(env, key).toLowerCase();
  if (value === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  throw new ConfigError(`${key} must be true or false, got "${value}"`);
}
