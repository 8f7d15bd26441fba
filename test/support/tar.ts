/**
 * Minimal ustar reader for asserting on produced archives: entry names and contents in order. Checks each
 * header's checksum and that the archive ends with two zero blocks.
 */
export type TarEntry = { name: string; size: number; content: Buffer };

export function parseTar(archive: Buffer): TarEntry[] {
  const entries: TarEntry[] = [];
  let at = 0;
  for (;;) {
    if (at + 1024 > archive.length) throw new Error(`archive truncated at ${at}`);
    const header = archive.subarray(at, at + 512);
    if (header.every((b) => b === 0)) {
      if (!archive.subarray(at + 512, at + 1024).every((b) => b === 0)) throw new Error('single zero block');
      return entries;
    }
    const field = (offset: number, length: number) => header.subarray(offset, offset + length).toString('ascii').replace(/\0.*$/s, '').trim();
    const declared = parseInt(field(148, 8), 8);
    let sum = 0;
    header.forEach((b, i) => (sum += i >= 148 && i < 156 ? 32 : b));
    if (sum !== declared) throw new Error(`bad checksum in header at ${at}`);
    if (field(257, 6) !== 'ustar') throw new Error(`not a ustar header at ${at}`);
    const name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12), 8);
    const content = archive.subarray(at + 512, at + 512 + size);
    entries.push({ name, size, content });
    at += 512 + Math.ceil(size / 512) * 512;
  }
}
