import type { Statement } from '../../src/database/where';
import { RecordsQueries } from '../../src/sources/clearlinux/records/records.repository';
import { SubmissionsQueries } from '../../src/sources/submissions/documents/submissions.repository';

/**
 * The statements the dynamic filters build, for representative filter sets: rendered into
 * src/queries/<repository>.sql so a change to the SQL shows in review (test/unit/queries.spec.ts keeps the
 * files current), and run through EXPLAIN on every database of the CI stages
 * (test/integration/database/query-snapshots.spec.ts) so each one is valid SQL there.
 */
export type QueryCase = Readonly<{ name: string; statement: Statement }>;

const docs = SubmissionsQueries.documents({ namespace: 'telemetry', doctype: 'main', version: '4', documentId: '6a1d2e3f-0000-4000-8000-000000000001', limit: 100 });
const errorsNone = SubmissionsQueries.errors({ limit: 100 });
const errorsTyped = SubmissionsQueries.errors({ namespace: 'telemetry', errorType: 'schema', limit: 10 });

export const QUERY_SNAPSHOTS: Readonly<Record<string, readonly QueryCase[]>> = {
  'records.repository': [
    { name: 'RecordsQueries.api: defaults (30-day window)', statement: RecordsQueries.api({ windowSeconds: 2_592_000, limit: 1000 }) },
    {
      name: 'RecordsQueries.api: every filter',
      statement: RecordsQueries.api({
        windowSeconds: 3600, severity: 2, classification: 'org.clearlinux/crash/clr', build: '31000', machineId: 'm1', fromId: '42', tsCaptureAfter: 1_700_000_000, limit: 10,
      }),
    },
    { name: 'RecordsQueries.console: no filter, first page', statement: RecordsQueries.console({}, 21, 0) },
    {
      name: 'RecordsQueries.console: every filter, CSV continuation',
      statement: RecordsQueries.console(
        {
          classificationLike: 'org.clearlinux/%', osName: 'clear-linux-os', build: '31000', severity: 3, machineId: 'm1', payload: 'segfault',
          notPayload: '^test', fromDate: '2026-11-01', toDate: '2026-12-01', external: false,
        },
        1000, 0, 5000,
      ),
    },
  ],
  'submissions.repository': [
    { name: 'SubmissionsQueries.documents: every filter (count)', statement: docs.count },
    { name: 'SubmissionsQueries.documents: every filter (page)', statement: docs.page },
    { name: 'SubmissionsQueries.errors: no filter (count)', statement: errorsNone.count },
    { name: 'SubmissionsQueries.errors: no filter (page)', statement: errorsNone.page },
    { name: 'SubmissionsQueries.errors: namespace and type (page)', statement: errorsTyped.page },
  ],
};

/** One readable statement per case: whitespace collapsed, a line break before each clause keyword. */
export function renderSnapshot(cases: readonly QueryCase[]): string {
  const clause = /(?<!epoch)\s+(FROM|WHERE|AND|ORDER BY|GROUP BY|LIMIT)\s+/g;
  return cases
    .map(({ name, statement }) => {
      const sql = statement.sql.replace(/\s+/g, ' ').trim().replace(clause, (_m, kw: string) => `\n  ${kw} `);
      return `-- ${name}\n-- params: ${JSON.stringify(statement.params)}\n${sql};\n`;
    })
    .join('\n');
}
