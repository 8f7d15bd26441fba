import type { PGlite } from '@electric-sql/pglite';

/**
 * PGlite parses every backend message it produces and appends it to a private list that only
 * `execProtocol()` and `execProtocolStream()` clear. pglite-socket calls `execProtocolRaw()`, which never
 * does, so every row ever returned to a client stayed on the heap (an embedded CSV export kept ~0.85 KB
 * per exported row; a long-running `npm start` grows until it runs out of memory). The socket server is
 * given a view of the database whose `execProtocolRaw` goes through `execProtocol` without throwing:
 * the same response bytes, and the list is cleared on every call.
 */
export function releasingResults(db: PGlite): PGlite {
  return new Proxy(db, {
    get(target, property) {
      if (property === 'execProtocolRaw') {
        return async (message: Uint8Array, options?: { syncToFs?: boolean }) =>
          (await target.execProtocol(message, { ...options, throwOnError: false })).data;
      }
      const value: unknown = Reflect.get(target, property, target);
      // PGlite's methods touch #private fields, so they must run with the real instance as `this`
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
