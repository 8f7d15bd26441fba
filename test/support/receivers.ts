import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * The receivers listen on 127.0.0.1 over plain http, which webhook channels refuse by default: a test that
 * delivers to them allows exactly that address (ALERT_WEBHOOK_ALLOWED_HOSTS), and nothing else.
 */
export const LOCAL_RECEIVERS_ALLOWED = Object.freeze({ ALERT_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });

export type ReceivedHook = Readonly<{ at: number; headers: IncomingMessage['headers']; body: string }>;
/** What to answer the n-th request (0-based); default 204. `hang` never answers. */
export type HookReply = Readonly<{ status?: number; headers?: Record<string, string>; delayMs?: number; hang?: boolean }>;

/** A real HTTP receiver on 127.0.0.1 whose answers a test scripts (fail, delay, 429 + Retry-After). */
export class WebhookReceiver {
  readonly received: ReceivedHook[] = [];
  private readonly waiters: { n: number; resolve: () => void }[] = [];
  private readonly hanging: ServerResponse[] = [];
  private script: (n: number, hook: ReceivedHook) => HookReply = () => ({});
  private server!: Server;
  url = '';

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const hook = { at: Date.now(), headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        const n = this.received.length;
        this.received.push(hook);
        const reply = this.script(n, hook);
        for (const w of [...this.waiters]) if (this.received.length >= w.n) (w.resolve(), this.waiters.splice(this.waiters.indexOf(w), 1));
        if (reply.hang) return void this.hanging.push(res);
        setTimeout(() => res.writeHead(reply.status ?? 204, reply.headers ?? {}).end(), reply.delayMs ?? 0);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
    return this;
  }

  answer(script: (n: number, hook: ReceivedHook) => HookReply): void {
    this.script = script;
  }

  waitFor(n: number, timeoutMs = 30_000): Promise<void> {
    if (this.received.length >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`webhook received ${this.received.length} of ${n} requests`)), timeoutMs);
      this.waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export type ReceivedMail = Readonly<{ from: string; to: string[]; data: string }>;

/** A real SMTP server on 127.0.0.1 (no TLS, no auth) that keeps every message; `rejectNext` answers 4xx/5xx. */
export class SmtpReceiver {
  readonly messages: ReceivedMail[] = [];
  private rejections: number[] = [];
  private server!: SMTPServer;
  port = 0;

  async start(): Promise<this> {
    this.server = new SMTPServer({
      secure: false,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const code = this.rejections.shift();
          if (code) {
            const err = Object.assign(new Error(`rejected for the test (${code})`), { responseCode: code });
            return callback(err);
          }
          this.messages.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            data: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  rejectNext(...codes: number[]): void {
    this.rejections.push(...codes);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Subject and text of a simple (single-part, quoted-printable or 7bit) message as nodemailer writes it. */
export function decodeMail(data: string): { subject: string; text: string } {
  const split = data.indexOf('\r\n\r\n');
  const head = data.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  let text = data.slice(split + 4);
  const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'im').exec(head)?.[1] ?? '';
  const subject = header('Subject')
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?([QB])\?(.*?)\?=/gi, (_, enc: string, word: string) =>
      enc.toUpperCase() === 'B' ? Buffer.from(word, 'base64').toString('utf8') : qp(word.replace(/_/g, ' ')),
    );
  if (/quoted-printable/i.test(header('Content-Transfer-Encoding'))) text = qp(text.replace(/=\r?\n/g, ''));
  return { subject, text: text.replace(/\r\n/g, '\n') };
}

function qp(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '=' && /^[0-9A-F]{2}$/i.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(text[i], 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}
