import { PGLiteSocketHandler } from '@electric-sql/pglite-socket';

/**
 * pglite-socket 0.0.19 hands every TCP chunk to PGlite as if it were whole protocol messages. A
 * statement over ~64 KiB arrives in several chunks, PGlite receives half a message and aborts
 * ("RuntimeError: unreachable"), taking the embedded database down. Later pglite-socket versions fix
 * this but need a newer PGlite than the TimescaleDB build. So the handler is wrapped once: bytes are
 * buffered until they form complete PostgreSQL frontend messages, and those are passed on in order,
 * one call at a time.
 */
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

type Framed = {
  pending?: Buffer;
  started?: boolean;
  chain?: Promise<unknown>;
};

let installed = false;

export function installPgliteFraming(): void {
  if (installed) return;
  installed = true;
  const proto = PGLiteSocketHandler.prototype as unknown as { handleData(data: Buffer): Promise<number> };
  const forward = proto.handleData;
  proto.handleData = function (this: Framed & typeof proto, chunk: Buffer): Promise<number> {
    this.pending = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    const complete = takeCompleteMessages(this);
    if (complete.length === 0) return Promise.resolve(0);
    const run = (this.chain ?? Promise.resolve()).catch(() => undefined).then(() => forward.call(this, complete));
    this.chain = run;
    return run;
  };
}

/** Cuts the longest prefix of whole messages off `state.pending`. */
export function takeCompleteMessages(state: Framed): Buffer {
  const buffer = state.pending!;
  let offset = 0;
  for (;;) {
    if (!state.started) {
      // startup-phase messages have no type byte: int32 length (including itself), int32 code
      if (buffer.length - offset < 8) break;
      const length = buffer.readInt32BE(offset);
      if (buffer.length - offset < length) break;
      const code = buffer.readInt32BE(offset + 4);
      if (code !== SSL_REQUEST && code !== GSSENC_REQUEST) state.started = true;
      offset += length;
    } else {
      if (buffer.length - offset < 5) break;
      const length = buffer.readInt32BE(offset + 1);
      if (buffer.length - offset < 1 + length) break;
      offset += 1 + length;
    }
  }
  state.pending = buffer.subarray(offset);
  return buffer.subarray(0, offset);
}
