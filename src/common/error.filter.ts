import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, MethodNotAllowed, ServiceUnavailable, Unauthenticated } from './errors';

/**
 * One place that turns errors into HTTP answers: `{"message": ...}` JSON for every 4xx/5xx, Retry-After on
 * 503, and an opaque error id (logged with the stack) for anything unexpected. Sources whose wire
 * protocol wants another error body register a formatter for their path prefix.
 */
export type ErrorBodyFormatter = (status: number, message: string) => Record<string, unknown>;

@Catch()
export class ErrorFilter implements ExceptionFilter {
  private static readonly formatters: [prefix: string, format: ErrorBodyFormatter][] = [];
  private readonly logger = new Logger('http');

  static registerFormatter(prefix: string, format: ErrorBodyFormatter): void {
    ErrorFilter.formatters.push([prefix, format]);
  }

  catch(err: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    if (err instanceof Unauthenticated && err.loginUrl) {
      void reply.status(302).header('location', err.loginUrl).send();
      return;
    }
    const { status, message, headers } = this.describe(err);
    const format = ErrorFilter.formatters.find(([prefix]) => request.url.startsWith(prefix))?.[1];
    for (const [name, value] of Object.entries(headers)) void reply.header(name, value);
    void reply
      .status(status)
      .header('content-type', 'application/json; charset=utf-8')
      .send(JSON.stringify(format ? format(status, message) : { message }));
  }

  private lastOutageLog = 0;
  private outagesSinceLog = 0;

  /** The cause of a 503 is for operators only; during an outage every request has it, so at most one line per 10 s. */
  private logOutage(err: ServiceUnavailable): void {
    this.outagesSinceLog++;
    if (err.cause === undefined || Date.now() - this.lastOutageLog < 10_000) return;
    const cause = err.cause instanceof Error ? err.cause.message : String(err.cause);
    this.logger.warn(`503 ${err.reason} (${this.outagesSinceLog} since the last line): ${cause}`);
    this.lastOutageLog = Date.now();
    this.outagesSinceLog = 0;
  }

  private describe(err: unknown): { status: number; message: string; headers: Record<string, string> } {
    if (err instanceof ServiceUnavailable) {
      this.logOutage(err);
      return { status: 503, message: err.message, headers: { 'retry-after': String(err.retryAfterSeconds) } };
    }
    if (err instanceof Unauthenticated) return { status: 401, message: err.message, headers: { 'www-authenticate': 'Bearer' } };
    if (err instanceof MethodNotAllowed && err.allow.length > 0) return { status: 405, message: err.message, headers: { allow: err.allow.join(', ') } };
    if (err instanceof AppError) return { status: err.status, message: err.message, headers: {} };
    if (err instanceof HttpException) {
      const response = err.getResponse();
      const message = typeof response === 'string' ? response : ((response as { message?: unknown }).message ?? err.message);
      return { status: err.getStatus(), message: Array.isArray(message) ? message.join('; ') : String(message), headers: {} };
    }
    const fastifyStatus = (err as { statusCode?: number }).statusCode;
    if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
      return { status: fastifyStatus, message: (err as Error).message, headers: {} };
    }
    const errorId = randomUUID();
    this.logger.error(`unhandled error ${errorId}`, err instanceof Error ? err.stack : String(err));
    // "<ErrorClass>: <text>" (fuelstats.md §2.2) without the error's own text: it may carry SQL or internals.
    const errorClass = err instanceof Error ? err.constructor.name : typeof err;
    return { status: 500, message: `${errorClass}: Internal server error (${errorId})`, headers: {} };
  }
}
