import { randomBytes } from 'node:crypto';
import { projectAlerts } from '../../../src/alerts/alerts.projection';
import { crashGroupOf } from '../../../src/alerts/crash-group';
import { ContactCipher } from '../../../src/sources/fuel/failure-reports/contact-cipher';
import { buildFailureReportEvent } from '../../../src/sources/fuel/failure-reports/submit-failure-report.handler';
import { recordAccepted } from '../../../src/sources/clearlinux/record/record.events';
import { parseV2Record } from '../../../src/sources/clearlinux/ingest/record-parser';
import { aFailureReport } from '../../support/failure-reports';
import { headers } from '../clearlinux/helpers';

const cipher = new ContactCipher(randomBytes(32));
const build = (contact?: null) => buildFailureReportEvent(aFailureReport(contact === null ? { contact: null } : {}).failure_report as never, cipher, '2026-11-23T12:00:00.000Z');

describe('projectAlerts', () => {
  it('writes one trigger for an opted-in report, and none of the report tables', () => {
    expect(projectAlerts(build()).map((w) => (w.kind === 'insert' ? w.table : 'sql'))).toEqual(['alert_triggers']);
  });
  it('writes nothing when there is no contact', () => {
    expect(projectAlerts(build(null))).toEqual([]);
  });
  it('groups crash records by their guilty frame and ignores other records', () => {
    const crash = (payload: string, classification = 'org.clearlinux/crash/clr') =>
      recordAccepted(parseV2Record(headers({ classification }), payload), 1, '2026-11-23T12:00:00Z', { protocol: 'v2', headers: {}, payload });
    const payload = 'Process: /usr/bin/x\n\n#0 raise() - [/usr/lib64/libc.so.6]\n#1 main() - [/usr/bin/x]\n';
    expect(crashGroupOf(crash(payload))?.guilty).toEqual({ function: 'raise()', module: '/usr/lib64/libc.so.6' });
    expect(projectAlerts(crash(payload))).toHaveLength(1);
    expect(projectAlerts(crash(payload, 'org.clearlinux/hello/world'))).toEqual([]);
  });
});
