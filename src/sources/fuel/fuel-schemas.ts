import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { Injectable } from '@nestjs/common';
import { InvalidInput } from '../../common/errors';
import { SCHEMAS_DIR } from '../../common/paths';

export type FuelSchemaId =
  | 'fuel/action-logs-request.v1'
  | 'fuel/action-logs-response.v1'
  | 'fuel/installation-structure-request.v1'
  | 'fuel/oswl-stats-request.v1'
  | 'fuel/oswl-stats-response.v1'
  | 'fuel/ostf-runs-request.v1'
  | 'fuel/ostf-runs-response.v1'
  | 'fuel/ok-response.v1'
  | 'fuel/error-response.v1';

/** Every `schemas/fuel/*.json`, compiled once by one Ajv instance. */
@Injectable()
export class FuelSchemas {
  private readonly ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true });
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor() {
    const dir = join(SCHEMAS_DIR, 'fuel');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
      const schema = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { $id: string };
      this.compiled.set(schema.$id, this.ajv.compile(schema));
    }
  }

  /** Throws InvalidInput (400) naming the failing JSON pointer and rule (§2.1). */
  assert(id: FuelSchemaId, value: unknown): void {
    const problem = this.check(id, value);
    if (problem) throw new InvalidInput(problem, 'schema');
  }

  /** null when valid, else "<pointer>: <rule> <message>". */
  check(id: FuelSchemaId, value: unknown): string | null {
    const validate = this.compiled.get(id);
    if (!validate) throw new Error(`no schema registered as ${id}`);
    return validate(value) ? null : describe(validate.errors ?? []);
  }
}

function describe(errors: readonly ErrorObject[]): string {
  const e = errors[0];
  if (!e) return 'schema validation failed';
  const pointer = e.instancePath === '' ? '/' : e.instancePath;
  return `${pointer}: ${e.keyword} — ${e.message ?? 'invalid'}`;
}
