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
    const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
    for (const rows of statementRows(group)) {
      for (let i = 0; i < rows.length; i += perStatement) {
        const chunk = rows.slice(i, i + perStatement);
        await tx.query(insertSql(group.table, columns, chunk.length, group.conflict), chunk.flatMap((r) => columns.map((c) => r[c])));
      }
    }
  }
}

/**
 * ON CONFLICT DO UPDATE may not touch a row twice in one statement. `update`: the last row per key wins,
 * so only it is sent. `greatest`: repeats of a key go to later statements (the database compares the
 * values, whatever their type).
 */
function statementRows(group: InsertGroup): Row[][] {
  const { conflict, rows } = group;
  if (conflict?.action === 'update') return [lastPerKey(rows, conflict.target)];
  if (conflict?.action !== 'greatest') return [rows];
  const layers: Row[][] = [];
  const seen = new Map<string, number>();
  for (const r of rows) {
    const key = JSON.stringify(conflict.target.map((c) => r[c]));
    const layer = seen.get(key) ?? 0;
    seen.set(key, layer + 1);
    (layers[layer] ??= []).push(r);
  }
  return layers;
}

export function insertSql(table: string, columns: readonly string[], rowCount: number, conflict?: ConflictRule): string {
  const values = Array.from({ length: rowCount }, (_, r) => `(${columns.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`);
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values.join(', ')}${conflictClause(table, conflict)}`;
}

function conflictClause(table: string, conflict?: ConflictRule): string {
  if (!conflict) return '';
  const target = `(${conflict.target.join(', ')})`;
  if (conflict.action === 'nothing') return ` ON CONFLICT ${target} DO NOTHING`;
  if (conflict.action === 'greatest') {
    const c = conflict.column;
    return ` ON CONFLICT ${target} DO UPDATE SET ${c} = EXCLUDED.${c} WHERE ${table}.${c} < EXCLUDED.${c}`;
  }
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
    const group = openGroupFor(out, w);
    if (group) group.rows.push(...w.rows);
    else out.push({ kind: 'insert', table: w.table, rows: [...w.rows], conflict: w.conflict });
  }
  return out;
}

/**
 * The group `w` can join: the latest one for its table, if it has the same shape and nothing after it
 * may depend on the order. Events that each write to two tables (a, b, a, b, …) so still become two
 * statements. Moving an insert ahead of another table's inserts is safe; ahead of SQL that touches its
 * table (or does not say which tables it touches), or of its own table's other writes, is not.
 */
function openGroupFor(out: readonly (InsertGroup | Extract<RowWrite, { kind: 'sql' }>)[], w: Extract<RowWrite, { kind: 'insert' }>): InsertGroup | undefined {
  for (let i = out.length - 1; i >= 0; i--) {
    const g = out[i];
    if (g.kind === 'sql') {
      if (!g.tables || g.tables.includes(w.table)) return undefined;
      continue;
    }
    if (g.table === w.table) return sameShape(g, w) ? g : undefined;
  }
  return undefined;
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
