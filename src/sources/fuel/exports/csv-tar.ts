import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TAR_END, tarHeader, tarPadding } from '../../../common/ustar';
import { csvFormat } from './export-columns';

export type CsvEntry = Readonly<{ name: string; rows: () => AsyncIterable<string[]> }>;

/** Prefix of the per-request spool directory under the system temp dir. */
export const SPOOL_PREFIX = 'fuel-export-';

/**
 * A tar archive of CSV files, produced lazily (spec fuelstats.md §5.5). A tar header needs the entry's size, so each CSV
 * is first spooled to a file in a per-request temp directory, then streamed out and deleted: memory stays
 * flat however large the export. `signal` (the client going away) stops a spool in progress; the directory
 * is removed when the archive ends, fails or is abandoned.
 */
export async function* csvTar(entries: Iterable<CsvEntry>, signal: AbortSignal, tmpRoot = tmpdir()): AsyncGenerator<Buffer> {
  const dir = await mkdtemp(join(tmpRoot, SPOOL_PREFIX));
  try {
    const mtime = Date.now() / 1000;
    for (const entry of entries) {
      const path = join(dir, entry.name);
      await pipeline(Readable.from(entry.rows()), csvFormat(), createWriteStream(path), { signal });
      const { size } = await stat(path);
      yield tarHeader(entry.name, size, mtime);
      for await (const chunk of createReadStream(path)) yield chunk as Buffer;
      yield tarPadding(size);
      await rm(path);
    }
    yield TAR_END;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
