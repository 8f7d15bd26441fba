import { Logger } from '@nestjs/common';
import { Duplex } from 'node:stream';
import type { PGlite } from '@electric-sql/pglite';

/**
 * `pg` talks to the embedded PGlite through this in-process stream instead of a TCP socket.
 *
 * Why not pglite-socket: PGlite's `execProtocolRaw` hands its input to the backend through a 16 KiB read
 * buffer, and when a message boundary falls exactly on a multiple of 16 KiB the backend believes the input
 * is drained and the rest of the call's input is silently dropped. A client that sent Parse+Bind of exactly
 * 16,384 bytes followed by Describe/Execute/Sync in one packet never gets its CommandComplete/ReadyForQuery,
 * holds the pool's only connection forever, and the embedded database wedges (an ordinary 9.9 KB Fuel
 * action-log batch hit it). Here every frontend message is passed to PGlite on its own, which is how
 * PGlite's own query API drives it, so no call ever holds a second message behind a boundary.
 */

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q'
const PARSE = 0x50; // 'P'
const TERMINATE = 0x58; // 'X'
const READY_FOR_QUERY = 0x5a; // 'Z'
const COPY_IN_RESPONSE = 0x47; // 'G'
const AUTHENTICATION = 0x52; // 'R'

/** Bytes received from the client that do not yet form a whole message, and whether startup is over. */
export type FrontendFraming = { pending: Buffer; started: boolean };

export const newFraming = (): FrontendFraming => ({ pending: Buffer.alloc(0), started: false });

/**
 * Appends `chunk` and cuts the complete frontend messages off the front, one Buffer each. Startup-phase
 * messages (startup packet, SSL/GSS requests) have no type byte: int32 length, int32 code.
 */
export function takeFrontendMessages(framing: FrontendFraming, chunk: Buffer): Buffer[] {
  const buffer = framing.pending.length === 0 ? chunk : Buffer.concat([framing.pending, chunk]);
  const messages: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const left = buffer.length - offset;
    let length: number;
    if (!framing.started) {
      if (left < 8) break;
      length = buffer.readInt32BE(offset);
      if (left < length) break;
      const code = buffer.readInt32BE(offset + 4);
      if (code !== SSL_REQUEST && code !== GSSENC_REQUEST) framing.started = true;
    } else {
      if (left < 5) break;
      length = 1 + buffer.readInt32BE(offset + 1);
      if (left < length) break;
    }
    messages.push(buffer.subarray(offset, offset + length));
    offset += length;
  }
  framing.pending = buffer.subarray(offset);
  return messages;
}

/** True when a backend response contains ReadyForQuery (or starts a COPY FROM STDIN, which ends later). */
export function completesRound(response: Uint8Array): boolean {
  const bytes = Buffer.from(response.buffer, response.byteOffset, response.byteLength);
  return backendMessages(bytes).some((m) => m[0] === READY_FOR_QUERY || m[0] === COPY_IN_RESPONSE);
}

/**
 * The one PGlite backend, shared by whichever connection the pool holds. PGlite is single-session and its
 * protocol calls must not interleave, so calls are queued here.
 */
export class PgliteSession {
  private queue: Promise<unknown> = Promise.resolve();
  private greeting?: Uint8Array;

  constructor(private readonly db: PGlite) {}

  /**
   * Runs one frontend message and returns the backend's bytes. `execProtocol` rather than
   * `execProtocolRaw`: PGlite keeps every parsed backend message in a list that only `execProtocol` clears
   * (with the raw call every row ever returned stayed on the heap). `throwOnError: false` because an SQL
   * error is part of the answer the client must receive. The file system is synced once per round.
   */
  exchange(message: Uint8Array, endsRound: boolean): Promise<Uint8Array> {
    return this.serialised(() => this.execute(message, endsRound));
  }

  /**
   * The backend is started once, by the session itself; every connection is then given the same greeting
   * (AuthenticationOk, parameters, BackendKeyData, ReadyForQuery). PGlite asks each startup for a password,
   * and a second startup packet passed to the running backend would leave it waiting for one in the middle
   * of the session the pool's other connection may still be using.
   */
  startup(): Promise<Uint8Array> {
    return this.serialised(async () => {
      if (this.greeting) return this.greeting;
      let answer = Buffer.from(await this.execute(STARTUP_MESSAGE, true));
      if (!completesRound(answer)) answer = Buffer.concat([answer, await this.execute(PASSWORD_MESSAGE, true)]);
      if (!completesRound(answer)) throw new Error(`the embedded database did not complete its startup (${messageTypes(answer)})`);
      // the greeting without the password request
      this.greeting = Buffer.concat(backendMessages(answer).filter((m) => !(m[0] === AUTHENTICATION && m.readInt32BE(5) !== 0)));
      return this.greeting;
    });
  }

  private async execute(message: Uint8Array, endsRound: boolean): Promise<Uint8Array> {
    return (await this.db.execProtocol(message, { throwOnError: false, syncToFs: endsRound })).data;
  }

  /**
   * Leaves the backend as a new connection expects it: a connection that went away mid-transaction (or
   * mid extended query) must not hand its open transaction to the next one, whose COMMIT would commit it.
   */
  reset(): Promise<void> {
    return this.serialised(async () => {
      await this.db.execProtocol(SYNC_MESSAGE, { throwOnError: false });
      if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    });
  }

  /** Closes PGlite (flushing it to disk) after the calls already queued. */
  close(): Promise<void> {
    return this.serialised(() => this.db.close());
  }

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

const SYNC_MESSAGE = new Uint8Array([SYNC, 0, 0, 0, 4]);
const STARTUP_MESSAGE = startupMessage({ user: 'postgres', database: 'postgres' });
/** PGlite does not check the password; it only insists on being sent one. */
const PASSWORD_MESSAGE = typedMessage(0x70 /* 'p' */, Buffer.from('postgres\0'));

function startupMessage(parameters: Record<string, string>): Buffer {
  const body = Buffer.from(Object.entries(parameters).map(([k, v]) => `${k}\0${v}\0`).join('') + '\0');
  const header = Buffer.alloc(8);
  header.writeInt32BE(8 + body.length, 0);
  header.writeInt32BE(196608, 4); // protocol 3.0
  return Buffer.concat([header, body]);
}

function typedMessage(type: number, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header[0] = type;
  header.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([header, body]);
}

/** Splits backend bytes into messages (type byte, int32 length including itself, body). */
export function backendMessages(bytes: Buffer): Buffer[] {
  const messages: Buffer[] = [];
  for (let offset = 0; offset + 5 <= bytes.length; ) {
    const end = offset + 1 + bytes.readInt32BE(offset + 1);
    messages.push(bytes.subarray(offset, end));
    offset = end;
  }
  return messages;
}

export const messageTypes = (bytes: Buffer): string => backendMessages(bytes).map((m) => String.fromCharCode(m[0])).join('');

/**
 * What `pg.Client` uses in place of a socket (pg's `stream` option): bytes written by the client are split
 * into messages and run on the session; the backend's answers are pushed back as if read from a socket.
 * A round (Sync or simple Query) whose answer has no ReadyForQuery would leave the client waiting forever:
 * the connection is failed instead, the client sees an error, and the pool opens a fresh connection.
 */
export class PgliteConnection extends Duplex {
  private static readonly logger = new Logger('embedded-database');
  private readonly framing = newFraming();
  /** The SQL of the round in progress, for the log line if its answer goes missing. */
  private statement = '';

  constructor(private readonly session: PgliteSession) {
    super();
  }

  // the socket surface pg's Connection calls
  connect(): this {
    process.nextTick(() => this.emit('connect'));
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }

  override _read(): void {
    // answers are pushed as soon as the session produces them
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.run(takeFrontendMessages(this.framing, chunk)).then(() => done(), done);
  }

  override _final(done: (error?: Error | null) => void): void {
    this.push(null);
    done();
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    this.session.reset().then(
      () => done(error),
      (resetError: unknown) => done(error ?? (resetError as Error)),
    );
  }

  private async run(messages: Buffer[]): Promise<void> {
    for (const message of messages) {
      if (isStartupPacket(message)) {
        // SSL/GSS encryption requests are declined ('N'); the startup packet itself gets the greeting
        this.push(isEncryptionRequest(message) ? Buffer.from('N') : Buffer.from(await this.session.startup()));
        continue;
      }
      if (message[0] === TERMINATE) {
        // the backend outlives its clients: a Terminate ends this connection, not PGlite
        this.push(null);
        return;
      }
      if (message[0] === QUERY || message[0] === PARSE) this.statement = statementOf(message);
      const endsRound = message[0] === SYNC || message[0] === QUERY;
      const response = await this.session.exchange(message, endsRound);
      if (response.length > 0) this.push(Buffer.from(response));
      if (endsRound && !completesRound(response)) {
        PgliteConnection.logger.error(`the embedded database gave no ReadyForQuery for: ${this.statement}; resetting the connection`);
        throw new Error('embedded database lost an answer; connection reset');
      }
    }
  }
}

/** Startup-phase packets start with their int32 length, whose first byte is 0 (they are far below 16 MiB). */
const isStartupPacket = (message: Buffer): boolean => message[0] === 0;
const isEncryptionRequest = (message: Buffer): boolean => message.length === 8 && [SSL_REQUEST, GSSENC_REQUEST].includes(message.readInt32BE(4));

/** Query: the text follows the header; Parse: a statement name (C string) comes first. Truncated for logs. */
function statementOf(message: Buffer): string {
  let start = 5;
  if (message[0] === PARSE) start = message.indexOf(0, 5) + 1;
  const end = message.indexOf(0, start);
  return message.subarray(start, Math.min(end < 0 ? message.length : end, start + 300)).toString('utf8');
}
