/**
 * Errors that know their HTTP status. Handlers, parsers and projections throw these (never Nest's
 * HttpException); one filter renders them. `reason` is a short machine-readable label used by metrics.
 */
export abstract class AppError extends Error {
  abstract readonly status: number;
  constructor(
    message: string,
    readonly reason: string = 'invalid',
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidInput extends AppError {
  readonly status = 400;
}

/** Authenticated or not, this client may not use the resource (e.g. outside the allowed networks). */
export class Forbidden extends AppError {
  readonly status = 403;
}

export class NotFound extends AppError {
  readonly status = 404;
}

/** The request clashes with what exists (e.g. a name that is taken). */
export class Conflict extends AppError {
  readonly status = 409;
}

/** The path exists, the method does not. With `allow` known, the error filter sends it as `Allow`. */
export class MethodNotAllowed extends AppError {
  readonly status = 405;
  constructor(
    readonly allow: readonly string[] = [],
    message = allow.length > 0 ? `Method not allowed; allowed: ${allow.join(', ')}` : 'method not allowed',
  ) {
    super(message, 'method_not_allowed');
  }
}

export class PayloadTooLarge extends AppError {
  readonly status = 413;
}

/**
 * Something the request needs (the event log, the database) cannot serve right now: 503 + Retry-After, and
 * the client retries. The message is plain on purpose; the cause goes to the server log, never to clients.
 */
export abstract class ServiceUnavailable extends AppError {
  readonly status = 503;
  constructor(message: string, readonly retryAfterSeconds: number, reason: string, cause?: unknown) {
    super(message, reason);
    if (cause !== undefined) this.cause = cause;
  }
}

/** The event log (or the database behind it) cannot make an append durable right now. */
export class LogUnavailable extends ServiceUnavailable {
  constructor(message = 'event log unavailable, retry later', retryAfterSeconds = 5, cause?: unknown) {
    super(message, retryAfterSeconds, 'log_unavailable', cause);
  }
}

/** No database connection could be had, or it failed or stopped answering mid-statement. */
export class DatabaseUnavailable extends ServiceUnavailable {
  constructor(cause?: unknown) {
    super('database unavailable, retry later', 5, 'database_unavailable', cause);
  }
}

/** No or wrong credential. Browsers asking for a page are redirected to `loginUrl` instead of a 401. */
export class Unauthenticated extends AppError {
  readonly status = 401;
  constructor(readonly loginUrl?: string) {
    super('authentication required', 'unauthenticated');
  }
}
