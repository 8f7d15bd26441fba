import { randomBytes } from 'node:crypto';
import { ContactCipher } from '../../../../src/sources/fuel/failure-reports/contact-cipher';
import { projectFailureReport } from '../../../../src/sources/fuel/failure-reports/failure-reports.projection';
import { parseReportQuery } from '../../../../src/sources/fuel/failure-reports/report-filter';
import { buildFailureReportEvent } from '../../../../src/sources/fuel/failure-reports/submit-failure-report.handler';
import { aFailureReport, CONTACT_MARKERS } from '../../../support/failure-reports';

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

describe('projectFailureReport', () => {
  it('writes report and sealed contact for an opted-in report', () => {
    expect(projectFailureReport(build()).map((w) => (w.kind === 'insert' ? w.table : 'sql'))).toEqual(['failure_reports', 'customer_contacts']);
  });
  it('writes the report row only when there is no contact', () => {
    expect(projectFailureReport(build(null)).map((w) => (w.kind === 'insert' ? w.table : 'sql'))).toEqual(['failure_reports']);
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
