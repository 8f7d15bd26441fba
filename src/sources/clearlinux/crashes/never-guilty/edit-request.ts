import { InvalidInput } from '../../../../common/errors';
import type { FramePair } from '../backtrace';
import { REPROCESS_SCOPES, type ReprocessScope } from './edit-never-guilty.command';
import { parseFramePair, parseFramePairs } from './never-guilty.edit';

/** POST /api/clearlinux/never-guilty: `{function, module}` or `{mark: [...], unmark: [...]}`. */
export function parseEditBody(body: Record<string, unknown>): { mark: FramePair[]; unmark: FramePair[] } {
  if ('function' in body) return { mark: [parseFramePair(body, 'body')], unmark: [] };
  const mark = parseFramePairs(body.mark, 'mark');
  const unmark = parseFramePairs(body.unmark, 'unmark');
  if (mark.length + unmark.length === 0) throw new InvalidInput('give {function, module} or a non-empty mark/unmark list', 'never_guilty');
  return { mark, unmark };
}


/**
 * The crash editor's checkboxes carry each frame as JSON `[function, module]` (values may hold any
 * character, so no separator would be safe).
 */
export function checkedFrames(values: readonly string[], field: string): FramePair[] {
  return values.map((v, i) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(v);
    } catch {
      parsed = null;
    }
    if (!Array.isArray(parsed) || parsed.length !== 2) throw new InvalidInput(`${field}[${i}] must be ["function", "module"]`, 'never_guilty');
    return parseFramePair({ function: parsed[0], module: parsed[1] }, `${field}[${i}]`);
  });
}

/** Edit from one crash: `record` ("apply") or `all` ("apply and submit", the default). */
export function parseReprocessScope(value: unknown, field = 'reprocess'): ReprocessScope {
  if (value === undefined || value === null || value === '') return 'all';
  if (!REPROCESS_SCOPES.includes(value as ReprocessScope)) throw new InvalidInput(`${field} must be one of ${REPROCESS_SCOPES.join(', ')}`, 'never_guilty');
  return value as ReprocessScope;
}
