import { createHash } from 'node:crypto';
import { rng } from './demo-random';

/**
 * Pure generator of realistic synthetic Clear Linux records for `npm run seed:demo` and the view tests:
 * a fleet of machines on several builds and platforms, some external, whose machine ids rotate every
 * 3 days like the real client's; heartbeats, hello records, crashes and kernel oopses whose backtraces
 * are the fixture backtraces with varied programs and frames, and mcelog MCE/thermal records.
 * Deterministic for a given seed and `now`.
 */
export type DemoFixtures = Readonly<{ crash: string; crashUnknown: string; kernelWarning: string; kernelBug: string; mce: string; thermal: string; heartbeat: string }>;
export type DemoOptions = Readonly<{ count: number; now: Date; days?: number; seed?: number; salt?: string }>;
export type DemoRecord = Readonly<{ headers: Record<string, string>; body: string; tsCapture: number }>;

export const DEMO_CLEAR_BUILDS = ['31000', '31010', '31020', '31030', '31040', '31050', '31060', '31070'];
const OTHER_OS = [
  { system: 'ubuntu', builds: ['18.04', '20.04'] },
  { system: 'fedora', builds: ['f38'] },
];
const PLATFORMS = [
  'Intel Corporation|NUC6i5SYB|H81131-502',
  'Intel Corporation|NUC7i7BNH|J31169-307',
  'Dell Inc.|XPS 13 9360|blank',
  'LENOVO|20HRCTO1WW|ThinkPad X1 Carbon 5th',
  'QEMU|Standard PC (i440FX + PIIX, 1996)|pc-i440fx-2.8',
  'blank|blank|blank',
];
/** Share of records per classification (sums to 1). */
const MIX: [classification: string, share: number][] = [
  ['org.clearlinux/heartbeat/ping', 0.34],
  ['org.clearlinux/hello/world', 0.08],
  ['org.clearlinux/crash/clr', 0.14],
  ['org.clearlinux/crash/unknown', 0.02],
  ['org.clearlinux/kernel/warning', 0.05],
  ['org.clearlinux/kernel/bug', 0.03],
  ['org.clearlinux/mce/corrected', 0.11],
  ['org.clearlinux/mce/SRAO', 0.02],
  ['org.clearlinux/mce/SRAR', 0.01],
  ['org.clearlinux/mce/UCNA', 0.02],
  ['org.clearlinux/mce/thermal', 0.10],
  ['org.clearlinux/swupd-client/update', 0.08],
];
const PROGRAMS: [path: string, frames: string[]][] = [
  ['/usr/bin/gnome-calculator', ['math_equation_solve()', 'mp_set_from_string()']],
  ['/usr/bin/gnome-shell', ['meta_window_get_frame_rect()', 'st_widget_get_theme_node()']],
  ['/usr/bin/python3.7', ['PyObject_GetAttr()', '_PyEval_EvalFrameDefault()']],
  ['/usr/bin/swupd', ['swupd_curl_get_file()', 'verify_fix_path()']],
  ['/usr/libexec/tracker-extract', ['tracker_extract_get_metadata()', 'gst_discoverer_info_get_uri()']],
];
const KERNEL_FUNCS = ['i915_gem_object_pin', 'nvme_irq', 'ext4_da_write_end', 'iwl_mvm_rx_rx_mpdu', 'btrfs_commit_transaction'];

/** The id a machine reports on a given day: new every 3 days (telemetrics-client rotation). */
export function rotatingMachineId(salt: string, machine: number, epochDay: number): string {
  return createHash('md5').update(`${salt}:${machine}:${Math.floor(epochDay / 3)}`).digest('hex');
}

export function demoRecords(fx: DemoFixtures, o: DemoOptions): DemoRecord[] {
  const random = rng(o.seed ?? 42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const days = o.days ?? 42;
  const salt = o.salt ?? 'demo';
  const machines = Math.max(8, Math.round(o.count / 15));
  const fleet = Array.from({ length: machines }, (_, i) => {
    const other = i % 9 === 8 ? OTHER_OS[i % OTHER_OS.length] : undefined;
    return {
      index: i,
      platform: PLATFORMS[i % PLATFORMS.length],
      external: i % 4 === 0,
      system: other?.system ?? 'clear-linux-os',
      otherBuild: other ? other.builds[i % other.builds.length] : undefined,
      firstBuild: i % 3,
    };
  });
  const nowS = Math.floor(o.now.getTime() / 1000);
  const out: DemoRecord[] = [];
  for (let n = 0; n < o.count; n++) {
    const m = pick(fleet);
    // Newer records are more likely (fleets grow), never in the future.
    const ageS = Math.floor(Math.pow(random(), 1.5) * days * 86400);
    const ts = nowS - ageS - 60;
    const epochDay = Math.floor(ts / 86400);
    const weeksAgo = Math.floor(ageS / (7 * 86400));
    const build = m.otherBuild ?? DEMO_CLEAR_BUILDS[Math.min(DEMO_CLEAR_BUILDS.length - 1, Math.max(0, DEMO_CLEAR_BUILDS.length - 1 - weeksAgo - m.firstBuild))];
    const classification = chooseClass(random());
    const body = payloadFor(classification, fx, random, pick);
    out.push({
      tsCapture: ts,
      body,
      headers: {
        record_format_version: '4',
        classification,
        severity: classification.includes('/crash/') || classification.includes('/kernel/bug') ? '4' : classification.includes('/mce/') ? '3' : '1',
        machine_id: rotatingMachineId(salt, m.index, epochDay),
        creation_timestamp: String(ts),
        arch: 'x86_64',
        host_type: m.platform,
        build,
        kernel_version: '5.3.11-869.native',
        payload_format_version: '1',
        system_name: m.system,
        board_name: 'NUC6i5SYB|Intel Corporation',
        cpu_model: 'Intel(R) Core(TM) i5-6260U CPU @ 1.80GHz',
        bios_version: 'SYSKLi35.86A.0045.2016.0304.1712',
        event_id: Array.from({ length: 32 }, () => '0123456789abcdef'[Math.floor(random() * 16)]).join(''),
        ...(m.external ? { 'X-CLR-External': 'true' } : {}),
      },
    });
  }
  return out;
}

function chooseClass(r: number): string {
  let acc = 0;
  for (const [c, share] of MIX) {
    acc += share;
    if (r < acc) return c;
  }
  return MIX[0][0];
}

function payloadFor(classification: string, fx: DemoFixtures, random: () => number, pick: <T>(xs: readonly T[]) => T): string {
  const hex = (digits: number) => Array.from({ length: digits }, () => '0123456789abcdef'[Math.floor(random() * 16)]).join('');
  switch (classification) {
    case 'org.clearlinux/heartbeat/ping':
      return fx.heartbeat.replace(/uptime: \d+/, `uptime: ${Math.floor(random() * 900000)}`);
    case 'org.clearlinux/hello/world':
      return 'hello\n';
    case 'org.clearlinux/crash/clr':
    case 'org.clearlinux/crash/unknown': {
      const [program, funcs] = pick(PROGRAMS);
      const pid = String(1000 + Math.floor(random() * 60000));
      const base = random() < 0.2 ? fx.crashUnknown.replace(/\/usr\/bin\/foo/g, program).replace('foo_parse_config()', pick(funcs)) : fx.crash;
      return base
        .replace(/\/usr\/bin\/gnome-calculator/g, program)
        .replace('math_equation_solve()', pick(funcs))
        .replace(/PID: \d+/, `PID: ${pid}`)
        .replace(/TID \d+\)/, `TID ${pid})`);
    }
    case 'org.clearlinux/kernel/warning':
      return fx.kernelWarning.replace(/preempt_notifier_register/g, pick(KERNEL_FUNCS));
    case 'org.clearlinux/kernel/bug':
      return fx.kernelBug.replace('alloc_pipe_info', pick(KERNEL_FUNCS));
    case 'org.clearlinux/mce/thermal': {
      const cpu = String(Math.floor(random() * 8));
      return fx.thermal.replace(/CPU \d+ THERMAL/, `CPU ${cpu} THERMAL`).replace(/Processor \d+/, `Processor ${cpu}`);
    }
    case 'org.clearlinux/swupd-client/update':
      return `current_version=${pick(DEMO_CLEAR_BUILDS)}\nserver_version=${DEMO_CLEAR_BUILDS[DEMO_CLEAR_BUILDS.length - 1]}\nresult=0\nbytes=${Math.floor(random() * 1e8)}\n`;
    default: {
      // the four MCE classes
      const uncorrected = !classification.endsWith('/corrected');
      return fx.mce
        .replace(/CPU \d+ BANK \d+/, `CPU ${Math.floor(random() * 8)} BANK ${Math.floor(random() * 12)}`)
        .replace(/^STATUS [0-9a-f]+/m, `STATUS ${uncorrected ? 'bd' : '8c'}${hex(14)}`)
        .replace('Corrected error', uncorrected ? 'Uncorrected error' : 'Corrected error');
    }
  }
}
