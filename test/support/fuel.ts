import type { TestApp } from './app';

const JSON_HEADERS = { 'content-type': 'application/json' };

/** POSTs a Fuel collector body to `/api/v1/<path>/` on the test app; anything but 2xx fails the setup. */
export async function postFuel(t: TestApp, path: string, body: unknown): Promise<void> {
  const res = await t.app.inject({ method: 'POST', url: `/api/v1/${path}/`, headers: JSON_HEADERS, payload: JSON.stringify(body) });
  if (res.statusCode >= 300) throw new Error(`${path}: ${res.statusCode} ${res.body}`);
}

/**
 * `value` with every `"master_node_uid"` in it replaced by `rename(uid)`, at any depth (action logs, OSWL
 * records and installation structures all carry it): fixture bodies re-keyed so that their rows are new.
 */
export function renameMasterNodeUids<T>(value: T, rename: (uid: string) => string): T {
  return JSON.parse(
    JSON.stringify(value).replace(/"master_node_uid":"((?:[^"\\]|\\.)*)"/g, (_m, uid: string) => `"master_node_uid":${JSON.stringify(rename(JSON.parse(`"${uid}"`) as string))}`),
  ) as T;
}
