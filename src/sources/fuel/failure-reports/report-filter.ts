import { InvalidInput } from '../../../common/errors';
import type { ReportFilter } from './failure-reports.repository';

export type ReportQuery = Readonly<{ filter: ReportFilter; page: number; values: Record<string, string> }>;

/**
 * Pure: list filters from query parameters (API and console share them, so a console URL is also a
 * valid API query). `acknowledged=yes|no` is the console's spelling of `status`.
 */
export function parseReportQuery(q: Readonly<Record<string, string | undefined>>): ReportQuery {
  const release = q.release?.trim() || undefined;
  let status = q.status?.trim() || undefined;
  const acknowledged = q.acknowledged?.trim() || undefined;
  if (acknowledged !== undefined) {
    if (acknowledged !== 'yes' && acknowledged !== 'no') throw new InvalidInput('acknowledged: must be yes or no', 'query');
    status = acknowledged === 'yes' ? 'acknowledged' : 'open';
  }
  if (status !== undefined && status !== 'open' && status !== 'acknowledged') throw new InvalidInput('status: must be open or acknowledged', 'query');
  const notifiedText = q.notified?.trim() || undefined;
  if (notifiedText !== undefined && notifiedText !== 'true' && notifiedText !== 'false') throw new InvalidInput('notified: must be true or false', 'query');
  const pageText = q.page?.trim() || '1';
  if (!/^\d{1,6}$/.test(pageText) || Number(pageText) < 1) throw new InvalidInput('page: must be a positive whole number', 'query');
  const values: Record<string, string> = {};
  if (release) values.release = release;
  if (status) values.status = status;
  if (notifiedText) values.notified = notifiedText;
  return {
    filter: { release, status: status as ReportFilter['status'], notified: notifiedText === undefined ? undefined : notifiedText === 'true' },
    page: Number(pageText),
    values,
  };
}
