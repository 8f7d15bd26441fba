import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Fixtures are copied from shared/fixtures into test/fixtures so the suite runs from a bare clone. */
export const FIXTURES_DIR = join(__dirname, '..', 'fixtures');

export function fixturePath(relative: string): string {
  return join(FIXTURES_DIR, relative);
}

export function readFixtureText(relative: string): string {
  return readFileSync(fixturePath(relative), 'utf8');
}

export function readFixture<T = unknown>(relative: string): T {
  return JSON.parse(readFixtureText(relative)) as T;
}
