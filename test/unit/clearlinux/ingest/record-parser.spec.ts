import { normaliseRawHeaders } from '../../../../src/sources/clearlinux/record/header-names';
import {
  DEFAULT_TELEMETRY_ID,
  RECORD_REJECTION_REASONS,
  parseV2Record,
  parseV3Record,
} from '../../../../src/sources/clearlinux/ingest/record-parser';
import { TID, V4_HEADERS, headers, rejection } from '../helpers';

const parse = (overrides: Record<string, string | undefined> = {}, payload = 'hello\n') =>
  parseV2Record(headers(overrides), payload);
const reject = (overrides: Record<string, string | undefined>) => rejection(() => parse(overrides));
const accepts = (overrides: Record<string, string | undefined>) => () => expect(() => parse(overrides)).not.toThrow();

describe('parseV2Record: a valid v4 record (spec 3.1, 6.1)', () => {
  it('maps every field to its column', () => {
    expect(parse({}, 'the payload')).toEqual({
      classification: 'org.clearlinux/crash/clr',
      domain: 'org.clearlinux',
      probe: 'crash',
      rest: 'clr',
      severity: 2,
      machineId: '66c196ce4222dd761470da5e7e35f6f1',
      machineType: 'Intel Corporation|NUC6i5SYB|H81131-502',
      arch: 'x86_64',
      kernelVersion: '5.0.7-744.native',
      osName: 'clear-linux-os',
      build: '29940',
      recordFormatVersion: 4,
      payloadFormatVersion: 1,
      boardName: 'NUC6i5SYB|Intel Corporation',
      cpuModel: 'Intel(R) Core(TM) i5-6260U CPU @ 1.80GHz',
      biosVersion: 'SYSKLi35.86A.0045.2016.0304.1712',
      eventId: '39cc109a1079df96376693ebc7a0f632',
      external: false,
      tsCapture: 1505235249,
      payload: 'the payload',
    });
  });

  it('exports the default telemetry id', () => {
    expect(DEFAULT_TELEMETRY_ID).toBe('6907c830-eed9-4ce9-81ae-76daf8d88f0f');
  });
});

describe('X-Telemetry-TID', () => {
  it.each([
    ['a different id', '00000000-0000-0000-0000-000000000000'],
    ['upper-case', TID.toUpperCase()],
    ['empty', ''],
    ['absent', undefined],
  ])('rejects %s', (_name, value) => {
    expect(reject({ 'X-Telemetry-TID': value })).toEqual({
      status: 400,
      message: 'Telemetry ID mismatch',
      reason: 'tid',
    });
  });

  it('uses the configured id', () => {
    const h = headers({ 'X-Telemetry-TID': 'my-own-id' });
    expect(parseV2Record(h, '', { telemetryId: 'my-own-id' }).severity).toBe(2);
    expect(rejection(() => parseV2Record(headers(), '', { telemetryId: 'my-own-id' })).message).toBe(
      'Telemetry ID mismatch',
    );
  });
});

describe('Record-Format-Version', () => {
  it.each(['1', '2', '3', '4', '04'])('accepts %s', (v) => {
    expect(parse({ record_format_version: v }).recordFormatVersion).toBe(Number(v));
  });

  it.each([['0'], ['5'], ['x'], [''], ['4.0'], ['+4'], ['-4'], ['²'], ['４'], [undefined]])('rejects %s', (v) => {
    expect(reject({ record_format_version: v })).toEqual({
      status: 400,
      message: 'Record-Format-Version is invalid',
      reason: 'record_format_version',
    });
  });
});

describe('presence check', () => {
  const required = (version: string) =>
    [
      ['arch', 'Arch'],
      ['build', 'Build'],
      ['creation_timestamp', 'Creation-Timestamp'],
      ['classification', 'Classification'],
      ['host_type', 'Host-Type'],
      ['kernel_version', 'Kernel-Version'],
      ['machine_id', 'Machine-Id'],
      ['severity', 'Severity'],
      ['payload_format_version', 'Payload-Format-Version'],
      ['system_name', 'System-Name'],
      ['board_name', 'Board-Name', 3],
      ['bios_version', 'Bios-Version', 3],
      ['cpu_model', 'Cpu-Model', 3],
      ['event_id', 'Event-Id', 4],
    ]
      .filter(([, , from]) => Number(version) >= Number(from ?? 1))
      .map(([header, name]) => [version, header, name] as [string, string, string]);

  it.each([...required('1'), ...required('2'), ...required('3'), ...required('4')])(
    'v%s without %s reports %s missing',
    (version, header, name) => {
      expect(reject({ record_format_version: version, [header]: undefined })).toEqual({
        status: 400,
        message: `Record-Format-Version headers are invalid, ${name} missing`,
        reason: 'missing_header',
      });
    },
  );

  it.each([
    ['1', ['board_name', 'bios_version', 'cpu_model', 'event_id']],
    ['2', ['board_name', 'bios_version', 'cpu_model', 'event_id']],
    ['3', ['event_id']],
  ])('v%s does not require %j', (version, absent) => {
    const overrides: Record<string, string | undefined> = { record_format_version: version };
    for (const h of absent) overrides[h] = undefined;
    expect(parse(overrides).recordFormatVersion).toBe(Number(version));
  });

  it('accepts present but empty values of free-form fields', () => {
    const r = parse({ machine_id: '', host_type: '', board_name: '', cpu_model: '', bios_version: '', system_name: '' });
    expect([r.machineId, r.machineType, r.boardName, r.cpuModel, r.biosVersion, r.osName]).toEqual(['', '', '', '', '', '']);
  });

  it.each([
    [['severity', 'arch'], 'Arch'],
    [['machine_id', 'build'], 'Build'],
    [['machine_id', 'creation_timestamp'], 'Creation-Timestamp'],
    [['host_type', 'classification'], 'Classification'],
    [['kernel_version', 'host_type'], 'Host-Type'],
    [['machine_id', 'kernel_version'], 'Kernel-Version'],
    [['severity', 'machine_id'], 'Machine-Id'],
    [['payload_format_version', 'severity'], 'Severity'],
    [['system_name', 'payload_format_version'], 'Payload-Format-Version'],
    [['board_name', 'system_name'], 'System-Name'],
    [['bios_version', 'board_name'], 'Board-Name'],
    [['cpu_model', 'bios_version'], 'Bios-Version'],
    [['event_id', 'cpu_model'], 'Cpu-Model'],
    [['event_id', 'arch', 'system_name', 'board_name'], 'Arch'],
  ])('reports the first missing header in spec order: without %j → %s', (absent, name) => {
    const overrides: Record<string, string | undefined> = {};
    for (const h of absent) overrides[h] = undefined;
    expect(reject(overrides).message).toBe(`Record-Format-Version headers are invalid, ${name} missing`);
  });

  it('comes after TID and Record-Format-Version but before every value rule', () => {
    expect(reject({ arch: undefined, 'X-Telemetry-TID': 'x' }).message).toBe('Telemetry ID mismatch');
    expect(reject({ arch: undefined, record_format_version: '9' }).message).toBe('Record-Format-Version is invalid');
    expect(reject({ arch: undefined, severity: '9' }).message).toBe(
      'Record-Format-Version headers are invalid, Arch missing',
    );
  });
});

describe('Severity', () => {
  it.each(['1', '2', '3', '4', '01'])('accepts %s', (v) => {
    expect(parse({ severity: v }).severity).toBe(Number(v));
  });
  it.each(['0', '5', '', '-1', '+1', 'x', '1.0', '²', '١'])('rejects %j', (v) => {
    expect(reject({ severity: v })).toEqual({ status: 400, message: 'severity value is out of range', reason: 'severity' });
  });
});

describe('Classification (spec 3.3)', () => {
  const p40 = 'p'.repeat(40);
  it.each(['a/b/c', 'org.clearlinux/hello/world', `${p40}/${p40}/${p40}`, 'a b/c%d/e_f'])('accepts %s', (c) => {
    expect(parse({ classification: c }).classification).toBe(c);
  });
  it.each(['a/b', 'a/b/c/d', '/b/c', 'a//c', 'a/b/', '', 'abc', `${p40}x/b/c`, `a/${p40}x/c`, `a/b/${p40}x`])(
    'rejects %j',
    (c) => {
      expect(reject({ classification: c })).toEqual({
        status: 400,
        message: 'Classification value is invalid',
        reason: 'classification',
      });
    },
  );
  it('splits into domain, probe and rest', () => {
    expect(parse({ classification: 'org.clearlinux/kernel/warning' })).toMatchObject({
      domain: 'org.clearlinux',
      probe: 'kernel',
      rest: 'warning',
    });
  });
});

describe('Machine-Id', () => {
  it.each(['a'.repeat(32), '', 'clr-linux-avj01', 'é'.repeat(32)])('accepts %j', (v) => {
    expect(parse({ machine_id: v }).machineId).toBe(v);
  });
  it.each(['a'.repeat(33), 'é'.repeat(33)])('rejects %j', (v) => {
    expect(reject({ machine_id: v })).toEqual({ status: 400, message: 'Machine id value is invalid', reason: 'machine_id' });
  });
});

describe('Creation-Timestamp', () => {
  it.each([
    ['0', 0],
    ['1505235249', 1505235249],
    ['2147483648', 2147483648],
    ['999999999999', 999999999999],
    ['000000000001', 1],
  ])('accepts %s', (v, expected) => {
    expect(parse({ creation_timestamp: v }).tsCapture).toBe(expected);
  });
  it.each(['1000000000000', '0000000000001', '', '-1', '1.5', '1e9', '１２３', '1²', 'now'])('rejects %j', (v) => {
    expect(reject({ creation_timestamp: v })).toEqual({ status: 400, message: 'timestamp is invalid', reason: 'timestamp' });
  });
});

describe('Arch', () => {
  it.each(['armv7l', 'armv6l', 'aarch64', 'amd64', 'sparc64', 'ppc64', 'i686', 'i386', 'x86_64', 'ppc'])(
    'accepts %s',
    (v) => {
      expect(parse({ arch: v }).arch).toBe(v);
    },
  );
  it.each(['X86_64', 'arm64', 'x86-64', '', 'riscv64'])('rejects %j', (v) => {
    expect(reject({ arch: v })).toEqual({ status: 400, message: 'architecture is invalid', reason: 'arch' });
  });
});

describe('Host-Type', () => {
  it.each(['h'.repeat(249), '', 'blank|blank|blank', 'Intel'])('accepts %j', (v) => {
    expect(parse({ host_type: v }).machineType).toBe(v);
  });
  it('rejects 250 characters', () => {
    expect(reject({ host_type: 'h'.repeat(250) })).toEqual({ status: 400, message: 'host type is invalid', reason: 'host_type' });
  });
});

describe('Kernel-Version', () => {
  it.each(['4.12.5-374.native', '3.16.generic', '4.12.', '6.18.44-fc-v669', '04.012.x'])('accepts %s', (v) => {
    expect(parse({ kernel_version: v }).kernelVersion).toBe(v);
  });
  it.each(['4.12', 'abc.1.2', '4.x.1', '', '.1.2', '4..1', '4', '4.1².3', '3.15'])('rejects %j', (v) => {
    expect(reject({ kernel_version: v })).toEqual({
      status: 400,
      message: 'kernel version is invalid',
      reason: 'kernel_version',
    });
  });
});

describe.each([
  ['board_name', 'boardName', 'board name is invalid'],
  ['cpu_model', 'cpuModel', 'cpu model is invalid'],
  ['bios_version', 'biosVersion', 'BIOS version is invalid'],
] as const)('%s (v3 and later)', (header, column, message) => {
  it.each(['x'.repeat(199), '', 'a\tb', '! ~', 'NUC6i5SYB|Intel'])('accepts %j', (v) => {
    expect(parse({ [header]: v })[column]).toBe(v);
  });
  it.each(['x'.repeat(200), 'café', '\u007f', '\u0001', 'a\nb', '™'])('rejects %j', (v) => {
    expect(reject({ [header]: v })).toEqual({ status: 400, message, reason: header });
  });
  it('is validated in v3 as well', () => {
    expect(reject({ record_format_version: '3', [header]: '\u0001' }).message).toBe(message);
  });
});

describe('version-dependent N/A columns (QUIRK, spec 3.1)', () => {
  it('stores board/cpu/bios as N/A below v3 even when sent (upstream "v2 with v3 headers")', () => {
    const r = parse({ record_format_version: '2', board_name: 'B', cpu_model: 'C', bios_version: 'D', event_id: 'e' });
    expect(r).toMatchObject({ recordFormatVersion: 2, boardName: 'N/A', cpuModel: 'N/A', biosVersion: 'N/A', eventId: 'N/A' });
  });

  it('does not validate v3 headers below v3', () => {
    expect(parse({ record_format_version: '2', board_name: '\u0001', cpu_model: 'x'.repeat(500) }).boardName).toBe('N/A');
  });

  it('stores event_id as N/A below v4 without validating it', () => {
    const r = parse({ record_format_version: '3', event_id: 'NOT-HEX' });
    expect(r).toMatchObject({ eventId: 'N/A', boardName: 'NUC6i5SYB|Intel Corporation' });
  });
});

describe('Event-Id (v4)', () => {
  it.each(['0123456789abcdef0123456789abcdef', '39cc109a1079df96376693ebc7a0f632'])('accepts %s', (v) => {
    expect(parse({ event_id: v }).eventId).toBe(v);
  });
  it.each([
    '0123456789ABCDEF0123456789ABCDEF',
    '0123456789abcdef0123456789abcde',
    '0123456789abcdef0123456789abcdef0',
    '0123456789abcdef0123456789abcdeg',
    '',
    '39cc109a-1079-df96-3766-93ebc7a0f632',
  ])('rejects %j', (v) => {
    expect(reject({ event_id: v })).toEqual({ status: 400, message: 'Event id is invalid', reason: 'event_id' });
  });
});

describe('Build', () => {
  it.each([
    ['clear-linux-os', '17700', '17700'],
    ['clear-linux-os', '"17700"', '17700'],
    ["'clear-linux-os'", "'17700'", '17700'],
    ['"clear-linux-os"', '"29940"', '29940'],
    ['debian', '"12"', '12'],
    ['debian', '1.2-beta_3', '1.2-beta_3'],
    ['ubuntu', 'A-z.0', 'A-z.0'],
  ])('system %s, build %s → %s', (system, build, stored) => {
    expect(parse({ system_name: system, build })).toMatchObject({ build: stored, osName: system.replace(/["']/g, '') });
  });

  it.each([
    ['clear-linux-os', '17700a'],
    ['clear-linux-os', '1.2'],
    ['clear-linux-os', '""'],
    ['clear-linux-os', ''],
    ['"clear-linux-os"', '1.2'],
    ['clear-linux-os', '١٢'],
  ])('Clear Linux OS rule: system %s rejects build %j', (system, build) => {
    expect(reject({ system_name: system, build })).toEqual({
      status: 400,
      message: 'Clear Linux OS build version has invalid characters',
      reason: 'build',
    });
  });

  it.each([
    ['debian', 'a b'],
    ['debian', ''],
    ['debian', '1+2'],
    ['Clear-Linux-OS', 'é'],
    ['clear-linux-os-server', '1 2'],
  ])('other systems: system %j rejects build %j', (system, build) => {
    expect(reject({ system_name: system, build })).toEqual({
      status: 400,
      message: 'Build version has invalid characters',
      reason: 'build',
    });
  });

  it('applies the loose rule when the system name is not exactly clear-linux-os', () => {
    expect(parse({ system_name: 'Clear-Linux-OS', build: '1.2' }).build).toBe('1.2');
  });
});

describe('Payload-Format-Version (required rule, not upstream)', () => {
  it.each([
    ['0', 0],
    ['1', 1],
    ['2', 2],
    ['0002', 2],
    ['2147483646', 2147483646],
  ])('accepts %s', (v, expected) => {
    expect(parse({ payload_format_version: v }).payloadFormatVersion).toBe(expected);
  });
  it.each(['2147483647', '99999999999999999999', '-5', '+3', 'x', '', '1.0', '1e3', '7 7', '²'])('rejects %j', (v) => {
    expect(reject({ payload_format_version: v })).toEqual({
      status: 400,
      message: 'Payload format version outside of range supported',
      reason: 'payload_format_version',
    });
  });
});

describe('System-Name', () => {
  it('removes every single and double quote', () => {
    expect(parse({ system_name: `"deb'ian"`, build: '1' }).osName).toBe('debian');
  });
});

describe('X-CLR-External', () => {
  it.each([
    ['true', true],
    ['TRUE', false],
    ['True', false],
    ['1', false],
    ['yes', false],
    ['', false],
    [undefined, false],
  ])('%j → %s', (value, expected) => {
    expect(parse({ 'X-CLR-External': value }).external).toBe(expected);
  });
  it('is found under any spelling', () => {
    expect(parse({ x_clr_external: 'true' }).external).toBe(true);
  });
});

describe('validation order (spec 3.1: the first failure wins)', () => {
  // Each step's header gets a bad value; making steps i..end bad must report step i.
  const steps: Array<[string, string, string]> = [
    ['X-Telemetry-TID', 'wrong', 'Telemetry ID mismatch'],
    ['record_format_version', '9', 'Record-Format-Version is invalid'],
    ['severity', '9', 'severity value is out of range'],
    ['classification', 'a/b', 'Classification value is invalid'],
    ['machine_id', 'm'.repeat(33), 'Machine id value is invalid'],
    ['creation_timestamp', 'x', 'timestamp is invalid'],
    ['arch', 'vax', 'architecture is invalid'],
    ['host_type', 'h'.repeat(250), 'host type is invalid'],
    ['kernel_version', '4.12', 'kernel version is invalid'],
    ['board_name', '\u0001', 'board name is invalid'],
    ['cpu_model', '\u0001', 'cpu model is invalid'],
    ['bios_version', '\u0001', 'BIOS version is invalid'],
    ['event_id', 'x', 'Event id is invalid'],
    ['build', 'x y', 'Clear Linux OS build version has invalid characters'],
    ['payload_format_version', '-1', 'Payload format version outside of range supported'],
  ];

  it.each(steps.map((step, i) => [step[0], i, step[2]] as const))('%s is checked before everything after it', (_h, i, message) => {
    const overrides: Record<string, string> = {};
    for (const [header, bad] of steps.slice(i)) overrides[header] = bad;
    expect(reject(overrides).message).toBe(message);
  });

  it('reports the earlier of two bad fields whatever their header order', () => {
    const raw = ['X-Telemetry-TID', TID];
    for (const [k, v] of Object.entries({ ...V4_HEADERS, arch: 'vax', severity: '0' }).reverse()) raw.push(k, v);
    expect(rejection(() => parseV2Record(normaliseRawHeaders(raw), '')).message).toBe('severity value is out of range');
  });
});

describe('header-name variants (spec 2.1)', () => {
  it.each(['machine_id', 'Machine-Id', 'MACHINE-ID', 'machine-id', 'Machine_Id'])('reads the machine id from %s', (spelling) => {
    const raw: string[] = [];
    for (const [k, v] of Object.entries(V4_HEADERS)) if (k !== 'machine_id') raw.push(k, v);
    raw.push(spelling, 'abcdef');
    expect(parseV2Record(normaliseRawHeaders(raw), '').machineId).toBe('abcdef');
  });

  it('uses the first occurrence when a field is sent twice', () => {
    const raw: string[] = ['Machine-Id', 'first'];
    for (const [k, v] of Object.entries(V4_HEADERS)) raw.push(k, v === V4_HEADERS.machine_id ? 'second' : v);
    expect(parseV2Record(normaliseRawHeaders(raw), '').machineId).toBe('first');
  });

  it('lets an invalid first occurrence fail even if a later one is valid', () => {
    const raw: string[] = ['SEVERITY', '7'];
    for (const [k, v] of Object.entries(V4_HEADERS)) raw.push(k, v);
    expect(rejection(() => parseV2Record(normaliseRawHeaders(raw), '')).message).toBe('severity value is out of range');
  });

  it('accepts the upstream test spelling (Title-Case with hyphens)', () => {
    const raw = [
      'Record-Format-Version', '1', 'Classification', 'test/invalid/x', 'Severity', '2', 'Machine-Id', '1234',
      'Creation-Timestamp', '2752515', 'Arch', 'x86_64', 'Host-Type', 'LenovoT20', 'Kernel-Version', '3.16.0',
      'Build', '550', 'X-Telemetry-Tid', TID, 'System-Name', 'clear-linux-os', 'Payload-Format-Version', '1',
    ];
    expect(parseV2Record(normaliseRawHeaders(raw), 'hello')).toMatchObject({
      recordFormatVersion: 1,
      machineId: '1234',
      build: '550',
      eventId: 'N/A',
      boardName: 'N/A',
      payload: 'hello',
    });
  });
});

describe('record format version 1 (spec 3.2)', () => {
  it('is accepted with the v2 header set', () => {
    expect(parse({ record_format_version: '1' })).toMatchObject({ recordFormatVersion: 1, osName: 'clear-linux-os', payloadFormatVersion: 1 });
  });
  it('answers 400 (not 500) without System-Name', () => {
    expect(reject({ record_format_version: '1', system_name: undefined })).toEqual({
      status: 400,
      message: 'Record-Format-Version headers are invalid, System-Name missing',
      reason: 'missing_header',
    });
  });
  it('answers 400 without Payload-Format-Version', () => {
    expect(reject({ record_format_version: '1', payload_format_version: undefined }).message).toBe(
      'Record-Format-Version headers are invalid, Payload-Format-Version missing',
    );
  });
  it('still requires the TID', () => {
    expect(reject({ record_format_version: '1', 'X-Telemetry-TID': undefined }).message).toBe('Telemetry ID mismatch');
  });
});

describe('payload', () => {
  it('is stored as given, including an empty one', () => {
    expect(parse({}, '').payload).toBe('');
    expect(parse({}, 'hello\n\n').payload).toBe('hello\n\n');
  });
});

describe('rejection reasons', () => {
  it('are all listed in RECORD_REJECTION_REASONS', () => {
    const seen = new Set<string>();
    const cases: Array<Record<string, string | undefined>> = [
      { 'X-Telemetry-TID': 'x' },
      { record_format_version: 'x' },
      { arch: undefined },
      { severity: 'x' },
      { classification: 'x' },
      { machine_id: 'm'.repeat(40) },
      { creation_timestamp: 'x' },
      { arch: 'x' },
      { host_type: 'h'.repeat(300) },
      { kernel_version: 'x' },
      { board_name: '\u0001' },
      { cpu_model: '\u0001' },
      { bios_version: '\u0001' },
      { event_id: 'x' },
      { build: 'x' },
      { payload_format_version: 'x' },
    ];
    for (const c of cases) seen.add(reject(c).reason);
    seen.add(rejection(() => parseV3Record('[]', TID)).reason);
    expect([...seen].sort()).toEqual([...RECORD_REJECTION_REASONS].sort());
  });
});

describe('parseV3Record (spec 5)', () => {
  const body = (overrides: Record<string, unknown> = {}): string => {
    const fields: Record<string, unknown> = { ...V4_HEADERS, payload: 'p\n' };
    delete fields['X-Telemetry-TID'];
    return JSON.stringify({ ...fields, ...overrides });
  };

  it('parses a record with all-string values', () => {
    expect(parseV3Record(body(), TID)).toEqual(parseV2Record(headers(), 'p\n'));
  });

  it('accepts the client-2.4 values cut at the first space', () => {
    const r = parseV3Record(body({ host_type: 'Intel', cpu_model: 'Intel(R)', board_name: 'NUC6i5SYB|Intel' }), TID);
    expect(r).toMatchObject({ machineType: 'Intel', cpuModel: 'Intel(R)', boardName: 'NUC6i5SYB|Intel' });
  });

  it('accepts numbers and stores their decimal text', () => {
    const r = parseV3Record(
      body({ record_format_version: 4, severity: 2, creation_timestamp: 1505235249, payload_format_version: 1, build: 29940 }),
      TID,
    );
    expect(r).toMatchObject({ recordFormatVersion: 4, severity: 2, tsCapture: 1505235249, payloadFormatVersion: 1, build: '29940' });
  });

  it('runs numbers through the same rules', () => {
    expect(rejection(() => parseV3Record(body({ severity: 2.5 }), TID)).message).toBe('severity value is out of range');
    expect(rejection(() => parseV3Record(body({ payload_format_version: -5 }), TID)).message).toBe(
      'Payload format version outside of range supported',
    );
  });

  it('refuses a lone surrogate in any string field, naming it (storage cannot hold it)', () => {
    const bad = body().replace('"p\\n"', '"p\\ud800"');
    expect(rejection(() => parseV3Record(bad, TID))).toMatchObject({ status: 400, reason: 'json', message: 'invalid JSON body: payload contains an unpaired UTF-16 surrogate' });
    expect(parseV3Record(body({ payload: 'emoji \ud83d\ude00 ok' }), TID).payload).toBe('emoji \ud83d\ude00 ok');
  });

  it('treats null as missing', () => {
    expect(rejection(() => parseV3Record(body({ machine_id: null }), TID))).toEqual({
      status: 400,
      message: 'Record-Format-Version headers are invalid, Machine-Id missing',
      reason: 'missing_header',
    });
  });

  it('lets a later spelling supply a field whose first spelling is null', () => {
    expect(parseV3Record(body({ machine_id: null, 'Machine-Id': 'abc' }), TID).machineId).toBe('abc');
  });

  it('normalises keys like header names, first spelling wins', () => {
    const text = JSON.parse(body()) as Record<string, unknown>;
    delete text.machine_id;
    const r = parseV3Record(JSON.stringify({ 'MACHINE-ID': 'first', ...text, Machine_Id: 'second' }), TID);
    expect(r.machineId).toBe('first');
  });

  it('takes the TID from the body when the header is absent', () => {
    expect(parseV3Record(body({ 'X-Telemetry-TID': TID }), undefined).severity).toBe(2);
    expect(parseV3Record(body({ x_telemetry_tid: TID }), undefined).severity).toBe(2);
    expect(rejection(() => parseV3Record(body(), undefined)).message).toBe('Telemetry ID mismatch');
  });

  it('prefers the TID header over a body key', () => {
    expect(parseV3Record(body({ 'x-telemetry-tid': 'wrong' }), TID).severity).toBe(2);
    expect(rejection(() => parseV3Record(body({ 'x-telemetry-tid': TID }), 'wrong')).message).toBe('Telemetry ID mismatch');
  });

  it('uses the configured telemetry id', () => {
    expect(parseV3Record(body(), 'mine', { telemetryId: 'mine' }).severity).toBe(2);
  });

  it('reads X-CLR-External from the header, else from the body', () => {
    expect(parseV3Record(body(), TID).external).toBe(false);
    expect(parseV3Record(body(), TID, {}, 'true').external).toBe(true);
    expect(parseV3Record(body({ x_clr_external: 'true' }), TID).external).toBe(true);
    expect(parseV3Record(body({ x_clr_external: 'true' }), TID, {}, 'false').external).toBe(false);
  });

  it('defaults a missing or null payload to ""', () => {
    expect(parseV3Record(body({ payload: undefined }), TID).payload).toBe('');
    expect(parseV3Record(body({ payload: null }), TID).payload).toBe('');
  });

  it('stores the payload as-is, replacing only NUL', () => {
    expect(parseV3Record(body({ payload: 'a\\n"b"\u0000 ✓' }), TID).payload).toBe('a\\n"b"\uFFFD ✓');
  });

  it('does not trim values', () => {
    expect(rejection(() => parseV3Record(body({ record_format_version: ' 4' }), TID)).message).toBe(
      'Record-Format-Version is invalid',
    );
    expect(parseV3Record(body({ machine_id: ' x ' }), TID).machineId).toBe(' x ');
  });

  it('accepts a leading byte-order mark', () => {
    expect(parseV3Record(`\uFEFF${body()}`, TID).severity).toBe(2);
  });

  it('applies every clearlinux.md §3.1 rule, e.g. v2-with-v3-fields and the presence order', () => {
    expect(parseV3Record(body({ record_format_version: '2' }), TID).boardName).toBe('N/A');
    expect(rejection(() => parseV3Record(body({ arch: undefined, build: undefined }), TID)).message).toBe(
      'Record-Format-Version headers are invalid, Arch missing',
    );
  });

  it.each([
    ['an array', '[]'],
    ['a string', '"x"'],
    ['a number', '42'],
    ['null', 'null'],
    ['empty', ''],
    ['truncated', '{"severity":"1"'],
    ['not JSON', 'hello'],
  ])('rejects %s with invalid JSON body', (_name, text) => {
    expect(rejection(() => parseV3Record(text, TID))).toEqual({ status: 400, message: 'invalid JSON body', reason: 'json' });
  });

  it('checks the body shape before the TID', () => {
    expect(rejection(() => parseV3Record('[]', 'wrong')).message).toBe('invalid JSON body');
  });

  it.each([
    ['a boolean', { severity: true }],
    ['an object', { machine_id: { a: 1 } }],
    ['an array', { payload: ['x'] }],
  ])('rejects a record field that is %s', (_name, overrides) => {
    expect(rejection(() => parseV3Record(body(overrides), TID)).message).toBe('invalid JSON body');
  });

  it('ignores unknown keys of any type', () => {
    expect(parseV3Record(body({ extra: { nested: true }, other: [1] }), TID).severity).toBe(2);
  });
});
