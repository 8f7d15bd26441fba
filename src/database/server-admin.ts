import { Client } from 'pg';

/**
 * One statement on its own short-lived connection (CREATE/DROP DATABASE cannot share the pool or run in
 * a transaction). Used by tests and benchmarks to make throw-away databases on a real server.
 */
export async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** The same server URL pointing at another database. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
