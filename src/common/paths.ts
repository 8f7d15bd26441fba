import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root (where package.json is), whether running from src/ (tests) or dist/src/. */
export const PROJECT_ROOT = findRoot(__dirname);

function findRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json')) || dir.endsWith(`${join('dist')}`)) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${from}`);
    dir = parent;
  }
  return dir;
}

export const CONSOLE_DIR = join(PROJECT_ROOT, 'console');
export const SCHEMAS_DIR = join(PROJECT_ROOT, 'schemas');
