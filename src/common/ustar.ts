/**
 * Pure: the bytes of a POSIX ustar archive around regular files whose size is known up front —
 * a 512-byte header per file, the content padded to a 512-byte boundary, two zero blocks at the end.
 */
export const TAR_BLOCK = 512;
/** 8^11: the largest size the 11-digit octal field holds; above it GNU base-256 is used. */
const OCTAL_SIZE_LIMIT = 8 ** 11;

function octal(header: Buffer, offset: number, length: number, value: number): void {
  header.write(value.toString(8).padStart(length - 1, '0') + '\0', offset, length, 'ascii');
}

export function tarHeader(name: string, size: number, mtimeSeconds: number): Buffer {
  const nameBytes = Buffer.from(name, 'utf8');
  if (nameBytes.length === 0 || nameBytes.length > 100) throw new Error(`tar entry name must be 1…100 bytes: ${name}`);
  if (!Number.isSafeInteger(size) || size < 0) throw new Error(`tar entry size must be a whole number: ${size}`);
  const header = Buffer.alloc(TAR_BLOCK);
  nameBytes.copy(header, 0);
  octal(header, 100, 8, 0o644); // mode
  octal(header, 108, 8, 0); // uid
  octal(header, 116, 8, 0); // gid
  if (size < OCTAL_SIZE_LIMIT) octal(header, 124, 12, size);
  else {
    header[124] = 0x80; // GNU base-256: big-endian binary in the remaining 11 bytes
    let rest = size;
    for (let i = 135; i > 124; i--, rest = Math.floor(rest / 256)) header[i] = rest % 256;
  }
  octal(header, 136, 12, Math.floor(mtimeSeconds));
  header.fill(' ', 148, 156); // checksum is computed with its own field as spaces
  header.write('0', 156, 'ascii'); // regular file
  header.write('ustar\0' + '00', 257, 'ascii');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return header;
}

/** Zero bytes that bring a file of `size` bytes to the next block boundary. */
export const tarPadding = (size: number): Buffer => Buffer.alloc((TAR_BLOCK - (size % TAR_BLOCK)) % TAR_BLOCK);

export const TAR_END = Buffer.alloc(2 * TAR_BLOCK);
