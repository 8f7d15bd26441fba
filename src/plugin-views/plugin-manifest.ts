import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { InvalidInput } from '../common/errors';
import { floorGroups } from '../common/k-anonymity';
import { SCHEMAS_DIR } from '../common/paths';

/**
 * Plugin views (spec clearlinux.md §8.9): a folder `plugins/<name>/` with `view.json` (this manifest), `query.sql`
 * (one read-only SELECT with `:param` placeholders) and `view.hbs` (handlebars over the rows).
 * Everything here is pure: validation, parameter parsing and SQL placeholder binding.
 */
export type ParamSpec = Readonly<{
  type: 'integer' | 'string' | 'date';
  description?: string;
  default: number | string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  pattern?: string;
  enum?: readonly string[];
}>;

export type PluginManifest = Readonly<{
  name: string;
  title: string;
  description?: string;
  params: Readonly<Record<string, ParamSpec>>;
  chart?: Readonly<{ type: 'bar' | 'line' | 'pie'; x: string; y: readonly string[] }>;
  /** The rows' grouping columns and the column with each group's distinct machines (the k-anonymity floor). */
  groups: Readonly<{ by: readonly string[]; machines: string }>;
  maxRows: number;
  timeoutMs: number;
}>;

export class PluginError extends Error {}

let validator: ((v: unknown) => boolean) & { errors?: unknown } | undefined;
const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: true });

function schemaValidator() {
  if (!validator) validator = ajv.compile(JSON.parse(readFileSync(join(SCHEMAS_DIR, 'plugins', 'view-manifest.v1.json'), 'utf8')) as object);
  return validator;
}

/** Checks a parsed view.json for plugin folder `folder`; throws PluginError naming the problem. */
export function validateManifest(folder: string, raw: unknown): PluginManifest {
  const copy = JSON.parse(JSON.stringify(raw ?? null)) as unknown;
  const validate = schemaValidator();
  if (!validate(copy)) throw new PluginError(`plugin ${folder}: view.json is invalid: ${ajv.errorsText(validate.errors as never, { dataVar: 'view.json' })}`);
  const m = copy as PluginManifest & { params?: PluginManifest['params'] };
  if (m.name !== folder) throw new PluginError(`plugin ${folder}: view.json name "${m.name}" must equal the folder name`);
  const params = m.params ?? {};
  for (const [name, spec] of Object.entries(params)) {
    if (spec.pattern !== undefined) {
      try {
        new RegExp(spec.pattern);
      } catch {
        throw new PluginError(`plugin ${folder}: params.${name}.pattern is not a valid regular expression`);
      }
    }
    try {
      coerceParam(name, spec, String(spec.default));
    } catch (err) {
      throw new PluginError(`plugin ${folder}: params.${name}.default is invalid (${(err as Error).message})`);
    }
  }
  return { ...m, params, maxRows: m.maxRows ?? 1000, timeoutMs: m.timeoutMs ?? 5000 };
}

/** Checks query.sql: one statement, a SELECT or WITH … SELECT, every `:param` declared. */
export function validateQuery(folder: string, sql: string, manifest: PluginManifest): string {
  const text = sql.trim().replace(/;\s*$/, '');
  const code = stripLiteralsAndComments(text);
  if (code.includes(';')) throw new PluginError(`plugin ${folder}: query.sql must be a single statement`);
  if (!/^\s*(select|with)\b/i.test(code)) throw new PluginError(`plugin ${folder}: query.sql must start with SELECT or WITH`);
  for (const used of placeholders(code)) {
    if (!(used in manifest.params)) throw new PluginError(`plugin ${folder}: query.sql uses :${used}, which view.json does not declare`);
  }
  return text;
}

/** Query string → parameter values in declaration order; a bad value is a 400 naming the parameter. */
export function parseParams(manifest: PluginManifest, query: URLSearchParams): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const [name, spec] of Object.entries(manifest.params)) {
    const raw = query.get(name);
    out[name] = raw === null || raw === '' ? coerceParam(name, spec, String(spec.default)) : coerceParam(name, spec, raw);
  }
  return out;
}

function coerceParam(name: string, spec: ParamSpec, raw: string): number | string {
  const bad = (why: string): never => {
    throw new InvalidInput(`${name} ${why}`, 'query');
  };
  if (spec.type === 'integer') {
    if (!/^-?[0-9]{1,15}$/.test(raw)) bad('must be a whole number');
    const n = Number(raw);
    if (spec.minimum !== undefined && n < spec.minimum) bad(`must be ≥ ${spec.minimum}`);
    if (spec.maximum !== undefined && n > spec.maximum) bad(`must be ≤ ${spec.maximum}`);
    return n;
  }
  if (spec.type === 'date') {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(Date.parse(`${raw}T00:00:00Z`)) || new Date(`${raw}T00:00:00Z`).toISOString().slice(0, 10) !== raw) {
      bad('must be a date YYYY-MM-DD');
    }
    return raw;
  }
  if (raw.length > (spec.maxLength ?? 200)) bad(`must be at most ${spec.maxLength ?? 200} characters`);
  if (spec.enum && !spec.enum.includes(raw)) bad(`must be one of ${spec.enum.join(', ')}`);
  if (spec.pattern && !new RegExp(spec.pattern).test(raw)) bad('has an invalid format');
  return raw;
}

/**
 * The k-anonymity floor over a plugin's rows: rows whose `groups.machines` column is under `k` (or not a
 * number) become one row with "other (n groups)" in every grouping column, the other numeric columns summed
 * and no machine count (a sum of distinct counts is not one).
 */
export function floorPluginRows(manifest: PluginManifest, rows: readonly Record<string, unknown>[], k: number): Record<string, unknown>[] {
  const { by, machines } = manifest.groups;
  const key = (r: Record<string, unknown>) => JSON.stringify(by.map((c) => r[c] ?? null));
  const counts = new Map(rows.map((r) => [key(r), Number(r[machines]) || 0]));
  return floorGroups(rows, {
    key,
    isEmpty: () => false,
    machines: counts,
    k,
    merge: (label, merged) => {
      const out: Record<string, unknown> = {};
      for (const column of Object.keys(merged[0])) {
        if (by.includes(column)) out[column] = label;
        else if (column === machines) out[column] = null;
        else out[column] = merged.every((r) => typeof r[column] === 'number') ? merged.reduce((a, r) => a + (r[column] as number), 0) : null;
      }
      return out;
    },
  });
}

/** `:name` → `$n` (casts like `::int` are left alone); values in placeholder order. */
export function bindParams(sql: string, values: Readonly<Record<string, number | string>>): { sql: string; params: unknown[] } {
  const order: string[] = [];
  const bound = sql.replace(/(?<![:\w]):([a-z][a-z0-9_]*)/g, (whole, name: string) => {
    if (!(name in values)) return whole;
    let i = order.indexOf(name);
    if (i < 0) i = order.push(name) - 1;
    return `$${i + 1}`;
  });
  return { sql: bound, params: order.map((n) => values[n]) };
}

function placeholders(code: string): string[] {
  return [...code.matchAll(/(?<![:\w]):([a-z][a-z0-9_]*)/g)].map((m) => m[1]);
}

/** Blanks out string literals, quoted identifiers and comments so checks see only SQL code. */
function stripLiteralsAndComments(sql: string): string {
  return sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/'(?:[^']|'')*'/g, "''")
    .replace(/"(?:[^"]|"")*"/g, '""');
}
