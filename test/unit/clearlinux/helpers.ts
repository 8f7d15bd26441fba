import { AppError } from '../../../src/common/errors';
import { normaliseHeaderEntries, type NormalisedHeaders } from '../../../src/sources/clearlinux/record/header-names';
import { v4Headers } from '../../support/clearlinux-headers';

export { TID, V4_HEADERS } from '../../support/clearlinux-headers';

/** V4_HEADERS with some values replaced; `undefined` removes the header. */
export function headers(overrides: Record<string, string | undefined> = {}): NormalisedHeaders {
  return normaliseHeaderEntries(Object.entries(v4Headers(overrides)));
}

export type Rejection = { status: number; message: string; reason: string };

/** Runs fn, which must throw an AppError, and returns what the error filter would use. */
export function rejection(fn: () => unknown): Rejection {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return { status: err.status, message: err.message, reason: err.reason };
    throw err;
  }
  throw new Error('expected an AppError, nothing was thrown');
}
