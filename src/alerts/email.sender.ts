import { createTransport, Transporter } from 'nodemailer';
import type { SendOutcome } from './backoff';
import type { Notification } from './notification';

/**
 * SMTP through nodemailer (one pooled transport per process). SMTP 4xx replies and connection problems are
 * transient (retried); 5xx replies are permanent.
 */
export class EmailSender {
  private readonly transport: Transporter | null;

  constructor(
    smtpUrl: string | undefined,
    private readonly from: string,
  ) {
    this.transport = smtpUrl ? createTransport(smtpUrl, { pool: true, maxConnections: 4 } as never) : null;
  }

  async send(recipients: string, notification: Notification, deliveryKey: string, timeoutMs: number): Promise<SendOutcome> {
    if (!this.transport) return { ok: false, retryable: false, error: 'email: ALERT_SMTP_URL is not configured' };
    try {
      await withTimeout(
        this.transport.sendMail({
          from: this.from,
          to: recipients,
          subject: notification.subject,
          text: notification.text,
          headers: { 'X-Telemetry-Delivery': deliveryKey },
        }),
        timeoutMs,
      );
      return { ok: true };
    } catch (err) {
      const e = err as Error & { responseCode?: number };
      const code = e.responseCode;
      return { ok: false, retryable: !(code !== undefined && code >= 500), status: code, error: `email: ${e.message}` };
    }
  }

  close(): void {
    this.transport?.close();
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    work.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]);
}
