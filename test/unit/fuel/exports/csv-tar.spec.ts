import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { TAR_END, tarHeader, tarPadding } from '../../../../src/common/ustar';
import { CsvEntry, SPOOL_PREFIX, csvTar } from '../../../../src/sources/fuel/exports/csv-tar';
import { parseTar } from '../../../support/tar';

async function drain(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c);
  return Buffer.concat(chunks);
}

describe('ustar writer', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ustar-test-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('GNU tar lists and extracts what it writes (header checksum, padding, end blocks)', () => {
    const files: [string, Buffer][] = [['a.csv', Buffer.from('x,y\r\n1,2\r\n')], ['empty.csv', Buffer.alloc(0)], ['block.csv', Buffer.alloc(512, 'z')]];
    const archive = Buffer.concat([...files.flatMap(([name, body]) => [tarHeader(name, body.length, 1_700_000_000), body, tarPadding(body.length)]), TAR_END]);
    expect(archive.length % 512).toBe(0);
    writeFileSync(join(dir, 'x.tar'), archive);
    expect(execFileSync('tar', ['-tf', join(dir, 'x.tar')], { encoding: 'utf8' }).trim().split('\n')).toEqual(['a.csv', 'empty.csv', 'block.csv']);
    execFileSync('tar', ['-xf', join(dir, 'x.tar'), '-C', dir]);
    expect(parseTar(archive).map((e) => [e.name, e.content.toString()])).toEqual(files.map(([n, b]) => [n, b.toString()]));
  });

  it('refuses names that do not fit the header', () => {
    expect(() => tarHeader('x'.repeat(101), 1, 0)).toThrow(/1…100 bytes/);
  });

  it('sizes beyond the octal field use base-256', () => {
    const h = tarHeader('big.csv', 8 ** 11 + 5, 0);
    expect(h[124]).toBe(0x80);
    expect(h.readUIntBE(130, 6)).toBe(8 ** 11 + 5);
  });
});

describe('csvTar: spooled CSV entries', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'csv-tar-test-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const spoolDirs = () => readdirSync(root).filter((d) => d.startsWith(SPOOL_PREFIX));

  async function* rows(...r: string[][]) {
    yield* r;
  }

  it('writes each CSV (fuelstats.md §5.1 quoting) as an entry, in order, and removes its spool directory', async () => {
    const entries: CsvEntry[] = [
      { name: 'vm.csv', rows: () => rows(['a', 'b'], ['1', 'x, "y"\r\nz']) },
      { name: 'clusters.csv', rows: () => rows(['h']) },
    ];
    const archive = await drain(csvTar(entries, new AbortController().signal, root));
    expect(parseTar(archive).map((e) => [e.name, e.content.toString()])).toEqual([
      ['vm.csv', 'a,b\r\n1,"x, ""y""\r\nz"\r\n'],
      ['clusters.csv', 'h\r\n'],
    ]);
    expect(spoolDirs()).toEqual([]);
  });

  it('a client that goes away mid-spool: the spool stops and its files are removed', async () => {
    let produced = 0;
    const signal = new AbortController();
    async function* endless() {
      for (;;) {
        produced++;
        yield ['row', String(produced)];
        await new Promise((r) => setImmediate(r));
      }
    }
    const tar = Readable.from(csvTar([{ name: 'endless.csv', rows: endless }], signal.signal, root));
    tar.on('error', () => undefined); // the aborted spool surfaces as an AbortError
    const done = new Promise((resolve) => tar.once('close', resolve));
    tar.resume();
    const spooling = () => spoolDirs().length === 1 && existsSync(join(root, spoolDirs()[0], 'endless.csv'));
    while (produced < 50 || !spooling()) await new Promise((r) => setTimeout(r, 5));
    signal.abort();
    tar.destroy();
    await done;
    const stoppedAt = produced;
    await new Promise((r) => setTimeout(r, 50));
    expect(produced).toBe(stoppedAt);
    expect(spoolDirs()).toEqual([]);
  });

  it('a client that goes away while an entry is being sent: files removed', async () => {
    const signal = new AbortController();
    const big = Array.from({ length: 20_000 }, (_, i) => ['row', String(i), 'x'.repeat(50)]);
    const tar = Readable.from(csvTar([{ name: 'big.csv', rows: () => rows(...big) }, { name: 'next.csv', rows: () => rows(['n']) }], signal.signal, root), { highWaterMark: 1 });
    const first = await new Promise<Buffer>((resolve) => tar.once('data', resolve));
    expect(first.length).toBe(512); // the header of big.csv: its spool is complete
    expect(spoolDirs()).toHaveLength(1);
    const closed = new Promise((resolve) => tar.once('close', resolve));
    signal.abort();
    tar.destroy();
    await closed;
    expect(spoolDirs()).toEqual([]);
  });
});
