import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { SCHEMAS_DIR } from '../../../common/paths';

export const SUBMISSION_SCHEMAS_DIR = join(SCHEMAS_DIR, 'submissions');

export type SchemaKey = Readonly<{ namespace: string; doctype: string; version: string }>;
export type SchemaInfo = SchemaKey & Readonly<{ file: string }>;
export type Validation =
  | Readonly<{ outcome: 'valid' }>
  | Readonly<{ outcome: 'invalid'; message: string }>
  | Readonly<{ outcome: 'missing' }>;

const FILE = /^(.+)\.([0-9]{1,9})\.schema\.json$/;

/**
 * One JSON Schema (draft-07) per (namespace, doctype, version), laid out like mozilla-pipeline-schemas:
 * `schemas/submissions/<namespace>/<doctype>/<doctype>.<version>.schema.json` (spec submissions-and-nodes.md §A.6). Compiled once
 * at start-up with one Ajv instance.
 */
export class SubmissionSchemaRegistry {
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly infos: SchemaInfo[] = [];

  constructor(root: string = SUBMISSION_SCHEMAS_DIR) {
    const ajv = new Ajv({ allErrors: false, strict: false });
    addFormats(ajv);
    if (!existsSync(root)) return;
    for (const namespace of dirs(root)) {
      for (const doctype of dirs(join(root, namespace))) {
        for (const file of readdirSync(join(root, namespace, doctype))) {
          const m = FILE.exec(file);
          if (!m || m[1] !== doctype) continue;
          const path = join(root, namespace, doctype, file);
          const schema = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
          delete schema.$id;
          const key = { namespace: namespace.toLowerCase(), doctype: doctype.toLowerCase(), version: String(Number(m[2])) };
          this.validators.set(keyOf(key), ajv.compile(schema));
          this.infos.push({ ...key, file: `schemas/submissions/${namespace}/${doctype}/${file}` });
        }
      }
    }
    this.infos.sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
  }

  list(): readonly SchemaInfo[] {
    return this.infos;
  }

  validate(key: SchemaKey, document: unknown): Validation {
    const validator = this.validators.get(keyOf({ ...key, version: normaliseVersion(key.version) }));
    if (!validator) return { outcome: 'missing' };
    if (validator(document)) return { outcome: 'valid' };
    return { outcome: 'invalid', message: describe(validator.errors ?? []) };
  }
}

function normaliseVersion(version: string): string {
  return /^[0-9]+$/.test(version) ? String(Number(version)) : version;
}

function keyOf(key: SchemaKey): string {
  return `${key.namespace}/${key.doctype}/${key.version}`;
}

function dirs(path: string): string[] {
  return readdirSync(path, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
}

/** Names the failing keyword and path, e.g. `#: required: must have required property 'changesetID'`. */
function describe(errors: readonly ErrorObject[]): string {
  return errors.map((e) => `#${e.instancePath}: ${e.keyword}: ${e.message ?? 'invalid'}`).join('; ') || 'schema validation failed';
}
