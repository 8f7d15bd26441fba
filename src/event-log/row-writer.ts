import { Queryable } from '../database/database';
import { ConflictRule, Row, RowWrite } from './projector';

const MAX_PARAMS = 60000; // PostgreSQL's limit is 65535 bind parameters per statement

/**
 * Applies row writes inside the caller's transaction. Consecutive inserts into the same table with the
 * same columns become one multi-row INSERT, which is what makes batch projection fast.
 */
export async function applyWrites(tx: Queryable, writes: readonly RowWrite[]): Promise<void> {
  for (const group of groupInserts(writes)) {
    if (group.kind === 'sql') {
      await tx.query(group.sql, group.params);
      continue;
    }
    const columns = Object.keys(group.rows[0]);
    const rows = group.conflict?.action === 'update' ? lastPerKey(group.rows, group.conflict.target) : group.rows;
    const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
    for (let i = 0; i < rows.length; i += perStatement) {
      const chunk = rows.slice(i, i + perStatement);
      await tx.query(insertSql(group.table, columns, chunk.length, group.conflict), chunk.flatMap((r) => columns.map((c) => r[c])));
    }
  }
}

export function insertSql(table: string, columns: readonly string[], rowCount: number, conflict?: ConflictRule): string {
  const values = Array.from({ length: rowCount }, (_, r) => `(${columns.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`);
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values.join(', ')}${conflictClause(conflict)}`;
}

function conflictClause(conflict?: ConflictRule): string {
  if (!conflict) return '';
  const target = `(${conflict.target.join(', ')})`;
  if (conflict.action === 'nothing') return ` ON CONFLICT ${target} DO NOTHING`;
  return ` ON CONFLICT ${target} DO UPDATE SET ${conflict.set.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`;
}

type InsertGroup = { kind: 'insert'; table: string; rows: Row[]; conflict?: ConflictRule };

function groupInserts(writes: readonly RowWrite[]): (InsertGroup | Extract<RowWrite, { kind: 'sql' }>)[] {
  const out: (InsertGroup | Extract<RowWrite, { kind: 'sql' }>)[] = [];
  for (const w of writes) {
    if (w.kind === 'sql') {
      out.push(w);
      continue;
    }
    if (w.rows.length === 0) continue;
    const last = out[out.length - 1];
    if (last?.kind === 'insert' && last.table === w.table && sameShape(last, w)) last.rows.push(...w.rows);
    else out.push({ kind: 'insert', table: w.table, rows: [...w.rows], conflict: w.conflict });
  }
  return out;
}

function sameShape(a: InsertGroup, b: Extract<RowWrite, { kind: 'insert' }>): boolean {
  return JSON.stringify(a.conflict) === JSON.stringify(b.conflict) && Object.keys(a.rows[0]).join() === Object.keys(b.rows[0]).join();
}

/** ON CONFLICT DO UPDATE may not touch a row twice in one statement: keep the last row per key. */
function lastPerKey(rows: readonly Row[], target: readonly string[]): Row[] {
  const byKey = new Map<string, Row>();
  for (const r of rows) byKey.set(JSON.stringify(target.map((c) => r[c])), r);
  return [...byKey.values()];
}
