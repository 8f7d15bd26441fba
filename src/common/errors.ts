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

export class PayloadTooLarge extends AppError {
  readonly status = 413;
}

/** The event log (or the database behind it) cannot make an append durable right now: clients retry. */
export class LogUnavailable extends AppError {
  readonly status = 503;
  constructor(message = 'event log unavailable, retry later', readonly retryAfterSeconds = 5) {
    super(message, 'log_unavailable');
  }
}

/** No or wrong credential. Browsers asking for a page are redirected to `loginUrl` instead of a 401. */
export class Unauthenticated extends AppError {
  readonly status = 401;
  constructor(readonly loginUrl?: string) {
    super('authentication required', 'unauthenticated');
  }
}
