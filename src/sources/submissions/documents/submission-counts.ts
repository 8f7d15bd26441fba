import { InvalidInput } from '../../../common/errors';
import { COUNT_BUCKETS, CountBucket } from './submissions.repository';

export type CountSeries = Readonly<{ namespace: string; points: [string, number][] }>;

/** `bucket` (minute|hour|day, default hour) and `hours` (window, 1–8760, default 24); anything else → 400. */
export function parseCountsQuery(query: Readonly<Record<string, unknown>>): { bucket: CountBucket; hours: number } {
  for (const key of Object.keys(query)) if (key !== 'bucket' && key !== 'hours') throw new InvalidInput(`${key} is not a known parameter`);
  const bucket = query.bucket ?? 'hour';
  if (typeof bucket !== 'string' || !(COUNT_BUCKETS as readonly string[]).includes(bucket)) throw new InvalidInput('bucket is invalid');
  const hours = query.hours ?? '24';
  if (typeof hours !== 'string' || !/^[0-9]{1,4}$/.test(hours) || Number(hours) < 1 || Number(hours) > 8760) throw new InvalidInput('hours is invalid');
  return { bucket: bucket as CountBucket, hours: Number(hours) };
}

/** Rows (namespace, bucket, n) → one series per namespace, points in time order. Pure. */
export function countSeries(rows: readonly { namespace: string; bucket: string; n: number }[]): CountSeries[] {
  const byNamespace = new Map<string, [string, number][]>();
  for (const r of rows) {
    const points = byNamespace.get(r.namespace) ?? [];
    points.push([r.bucket, r.n]);
    byNamespace.set(r.namespace, points);
  }
  return [...byNamespace.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([namespace, points]) => ({ namespace, points: points.sort(([a], [b]) => a.localeCompare(b)) }));
}
