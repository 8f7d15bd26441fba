import { Injectable } from '@nestjs/common';
import { Database } from '../database/database';
import { bindParams } from './plugin-manifest';
import type { PluginView } from './plugin-registry';

/**
 * Runs a plugin's query: inside a READ ONLY transaction with a statement timeout, wrapped as a
 * subquery (so it is one SELECT) and cut at maxRows + 1 (to tell the page it was truncated).
 */
@Injectable()
export class PluginViewsRepository {
  constructor(private readonly db: Database) {}

  async run(plugin: PluginView, values: Readonly<Record<string, number | string>>): Promise<{ rows: Record<string, unknown>[]; truncated: boolean }> {
    const { sql, params } = bindParams(plugin.sql, values);
    const limit = plugin.manifest.maxRows;
    const rows = await this.db.transaction(async (tx) => {
      await tx.query('SET TRANSACTION READ ONLY');
      await tx.query(`SET LOCAL statement_timeout = ${Math.floor(plugin.manifest.timeoutMs)}`);
      return tx.query<Record<string, unknown>>(`SELECT * FROM (${sql}\n) AS plugin_view LIMIT ${limit + 1}`, params);
    });
    return { rows: rows.slice(0, limit), truncated: rows.length > limit };
  }
}
