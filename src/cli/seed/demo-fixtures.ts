import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../common/paths';
import type { DemoFixtures } from './demo-records';

/** The Clear Linux payload fixtures the demo records are built from (test/fixtures/clearlinux). */
export function loadDemoFixtures(dir = join(PROJECT_ROOT, 'test', 'fixtures', 'clearlinux')): DemoFixtures {
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');
  return {
    crash: read('crash-clr-basic.txt'),
    crashUnknown: read('crash-clr-unknown-frames.txt'),
    kernelWarning: read('kernel-warning.txt'),
    kernelBug: read('kernel-bug-unknown-only.txt'),
    mce: read('mce-corrected.txt'),
    thermal: read('mce-thermal.txt'),
    heartbeat: read('heartbeat-ping.txt'),
  };
}

/** POSTs demo records to a collector, `concurrency` at a time; returns status counts. */
export async function sendDemoRecords(
  baseUrl: string,
  records: readonly { headers: Record<string, string>; body: string }[],
  telemetryId: string,
  concurrency = 8,
): Promise<Record<number, number>> {
  const statuses: Record<number, number> = {};
  let next = 0;
  const worker = async () => {
    while (next < records.length) {
      const r = records[next++];
      const res = await fetch(`${baseUrl.replace(/\/$/, '')}/v2/collector`, {
        method: 'POST',
        headers: { ...r.headers, 'X-Telemetry-TID': telemetryId, 'content-type': 'application/text' },
        body: r.body,
      });
      await res.arrayBuffer();
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return statuses;
}
