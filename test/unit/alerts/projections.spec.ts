import { randomBytes } from 'node:crypto';
import { projectAlerts } from '../../../src/alerts/alerts.projection';
import { crashGroupOf } from '../../../src/alerts/crash-group';
import { ContactCipher } from '../../../src/sources/fuel/failure-reports/contact-cipher';
import { parseReportQuery } from '../../../src/sources/fuel/failure-reports/report-filter';
import { buildFailureReportEvent } from '../../../src/sources/fuel/failure-reports/submit-failure-report.handler';
import { recordAccepted } from '../../../src/sources/clearlinux/record.events';
import { parseV2Record } from '../../../src/sources/clearlinux/record-parser';
import { aFailureReport, CONTACT_MARKERS } from '../../support/failure-reports';
import { headers } from '../clearlinux/helpers';

const cipher = new ContactCipher(randomBytes(32));
const build = (contact?: null) => buildFailureReportEvent(aFailureReport(contact === null ? { contact: null } : {}).failure_report as never, cipher, '2026-11-23T12:00:00.000Z');

describe('failure report event', () => {
  it('derives its id from report_uuid, so a resend is the same event', () => {
    const body = aFailureReport().failure_report as never;
    expect(buildFailureReportEvent(body, cipher, 'a').id).toBe(buildFailureReportEvent(body, cipher, 'b').id);
  });
  it('carries the contact only sealed, and no secrets', () => {
    const text = JSON.stringify(build());
    for (const marker of CONTACT_MARKERS) expect(text).not.toContain(marker);
    expect(text).not.toContain('hunter2-secret');
    expect(text).not.toContain('AQBceph-secret-key');
  });
  it('keeps only the action log when no contact is given', () => {
    const e = build(null);
    expect(e.data).toMatchObject({ notified: false, context: null, sealedContact: null });
  });
  it('survives a JSON round trip unchanged', () => {
    const e = build();
    expect(JSON.parse(JSON.stringify(e))).toEqual(e);
  });
});

describe('projectAlerts', () => {
  it('writes report, sealed contact and one trigger for an opted-in report', () => {
    const writes = projectAlerts(build());
    expect(writes.map((w) => (w.kind === 'insert' ? w.table : 'sql'))).toEqual(['failure_reports', 'customer_contacts', 'alert_triggers']);
  });
  it('writes the report row only when there is no contact', () => {
    expect(projectAlerts(build(null)).map((w) => (w.kind === 'insert' ? w.table : 'sql'))).toEqual(['failure_reports']);
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

describe('parseReportQuery', () => {
  it('maps acknowledged=yes|no to the status filter', () => {
    expect(parseReportQuery({ acknowledged: 'yes', release: '9.0' }).filter).toEqual({ release: '9.0', status: 'acknowledged', notified: undefined });
    expect(parseReportQuery({ acknowledged: 'no' }).filter.status).toBe('open');
  });
  it('names the bad parameter', () => {
    expect(() => parseReportQuery({ status: 'x' })).toThrow(/^status/);
    expect(() => parseReportQuery({ page: '0' })).toThrow(/^page/);
  });
});
