import { Injectable } from '@nestjs/common';
import { Database } from '../../../database/database';

/**
 * "Have we seen this key before?" for the upsert resources (fuelstats.md §3.3 201/200, fuelstats.md §3.4/§3.5 added/updated).
 * Written AFTER the event is durable: if the append fails nothing is claimed and the resend is still
 * "created"; if the claim write fails after a durable append the request answers 503 and the resend
 * appends again (harmless: upsert) and is answered as created once — a possible extra 201, never a lost record.
 */
export const ClaimsSql = {
  claimInstallation: `
    INSERT INTO fuel_installation_claims (master_node_uid) VALUES ($1)
    ON CONFLICT (master_node_uid) DO NOTHING
    RETURNING master_node_uid`,
  claimRecords: `
    INSERT INTO fuel_record_claims (kind, master_node_uid, external_id)
    SELECT $1, u, e FROM unnest($2::text[], $3::bigint[]) AS t(u, e)
    ON CONFLICT (kind, master_node_uid, external_id) DO NOTHING
    RETURNING master_node_uid, external_id::text AS external_id`,
  storedActionLogs: `
    SELECT a.master_node_uid, a.external_id::text AS external_id
    FROM fuel_action_logs a JOIN unnest($1::text[], $2::bigint[]) AS t(u, e) ON a.master_node_uid = t.u AND a.external_id = t.e`,
} as const;

export type RecordKind = 'oswl' | 'ostf';
export type RecordKey = Readonly<{ uid: string; id: number }>;

export const keyOf = (uid: string, id: number | string): string => `${uid}\u0000${id}`;

@Injectable()
export class ClaimsRepository {
  constructor(private readonly db: Database) {}

  /** true when this call created the claim (first structure ever seen for the uid). */
  async claimInstallation(masterNodeUid: string): Promise<boolean> {
    const rows = await this.db.query(ClaimsSql.claimInstallation, [masterNodeUid]);
    return rows.length === 1;
  }

  /** Keys (see keyOf) newly claimed by this call. */
  async claimRecords(kind: RecordKind, keys: readonly RecordKey[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows = await this.db.query<{ master_node_uid: string; external_id: string }>(ClaimsSql.claimRecords, [
      kind,
      keys.map((k) => k.uid),
      keys.map((k) => k.id),
    ]);
    return new Set(rows.map((r) => keyOf(r.master_node_uid, r.external_id)));
  }

  /** Action logs already projected among these keys (fuelstats.md §3.2 step 2). */
  async storedActionLogs(keys: readonly RecordKey[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows = await this.db.query<{ master_node_uid: string; external_id: string }>(ClaimsSql.storedActionLogs, [
      keys.map((k) => k.uid),
      keys.map((k) => k.id),
    ]);
    return new Set(rows.map((r) => keyOf(r.master_node_uid, r.external_id)));
  }
}
