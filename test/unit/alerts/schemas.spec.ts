import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AlertsSchemas } from '../../../src/alerts/alerts-schemas';
import { SCHEMAS_DIR } from '../../../src/common/paths';
import { FuelSchemas } from '../../../src/sources/fuel/fuel-schemas';
import { aFailureReport } from '../../support/failure-reports';

const examples = (dir: string) =>
  readdirSync(join(SCHEMAS_DIR, dir))
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(SCHEMAS_DIR, dir, f), 'utf8')) as { $id: string; examples?: unknown[] });

describe('schemas/alerts and the failure-report schemas', () => {
  it('compile, and their examples are valid', () => {
    const alerts = new AlertsSchemas();
    // compiled on first use: each must compile (strict mode) when first asked
    for (const s of examples('alerts')) expect(() => alerts.check(s.$id as never, null)).not.toThrow();
    const every = new FuelSchemas();
    for (const s of examples('fuel')) expect(() => every.check(s.$id as never, null)).not.toThrow();
    for (const s of examples('alerts')) for (const e of s.examples ?? []) expect(alerts.check(s.$id as never, e)).toBeNull();
    const fuel = new FuelSchemas();
    for (const s of examples('fuel').filter((x) => x.$id.startsWith('fuel/failure-report'))) {
      expect(s.examples?.length).toBeGreaterThan(0);
      for (const e of s.examples ?? []) expect(fuel.check(s.$id as never, e)).toBeNull();
    }
  });

  it('accept the test builder and name the failing field of a bad report', () => {
    const fuel = new FuelSchemas();
    expect(fuel.check('fuel/failure-report-request.v1', aFailureReport())).toBeNull();
    expect(fuel.check('fuel/failure-report-request.v1', aFailureReport({ contact: null }))).toBeNull();
    const noCompany = aFailureReport({ contact: { first_name: 'a', last_name: 'b', email: 'a@b.cd' } });
    expect(fuel.check('fuel/failure-report-request.v1', noCompany)).toMatch(/^\/failure_report\/contact/);
    const succeeded = aFailureReport();
    ((succeeded.failure_report.action_log as { body: { additional_info: Record<string, unknown> } }).body.additional_info).ended_with_status = 'ready';
    expect(fuel.check('fuel/failure-report-request.v1', succeeded)).toMatch(/ended_with_status/);
    expect(fuel.check('fuel/failure-report-request.v1', { failure_report: {}, extra: 1 })).toMatch(/additionalProperties/);
  });
});
