import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pino, { DestinationStream, LoggerOptions } from 'pino';
import type { Options as HttpLogOptions } from 'pino-http';
import pretty from 'pino-pretty';
import type { AppConfig } from '../config/app-config';

/**
 * Paths pino replaces with "[redacted]" wherever a log call puts them: credentials (bearer token, session
 * cookie, tokens and passwords in any object) and customer contact data (Fuel failure-report contacts).
 * The access log itself never carries headers or bodies; this is for everything else a call might attach.
 */
export const REDACTED_PATHS = [
  'authorization', 'cookie', 'token', 'password', 'contact', 'email', 'phone',
  '*.authorization', '*.cookie', '*.token', '*.password', '*.contact', '*.email', '*.phone', '*.accessToken', '*.adminToken',
  'headers.authorization', 'headers.cookie', 'headers["set-cookie"]', 'headers["x-auth-token"]',
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["x-auth-token"]', 'res.headers["set-cookie"]',
];

/** Query parameters whose values never reach a log line (a token pasted into a URL, a contact in a filter). */
const SECRET_QUERY = /token|secret|password|passwd|key|auth|session|contact|email|phone/i;

/** Nest's start-up listing (every module and every route, ~170 lines): debug, not info. */
const START_UP_LISTINGS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);
const INFO = 30;

/** Options of the root logger: level from LOG_LEVEL, level as a name and time as ISO 8601, redaction. */
export function loggerOptions(config: Pick<AppConfig, 'logLevel'>): LoggerOptions {
  return {
    level: config.logLevel,
    hooks: {
      logMethod(args, method, level) {
        const context = (args[0] as { context?: unknown } | undefined)?.context;
        if (level === INFO && typeof context === 'string' && START_UP_LISTINGS.has(context)) return this.debug(...(args as [object, string]));
        return method.apply(this, args);
      },
    },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
}

/** stdout: JSON lines, or (LOG_FORMAT=pretty/text) one readable line per entry for a terminal. */
export function logDestination(config: Pick<AppConfig, 'logFormat'>): DestinationStream {
  if (config.logFormat === 'json') return pino.destination({ dest: 1, sync: true });
  return pretty({ colorize: config.logFormat === 'pretty' && process.stdout.isTTY, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', sync: true });
}

const REQUEST_ID = Symbol('request-id');
const ROUTE = Symbol('route');
type Tagged = IncomingMessage & { [REQUEST_ID]?: string; [ROUTE]?: string };

/** An X-Request-Id a client or proxy sent is kept if it is short and plain; otherwise a new UUID. */
export function requestId(req: IncomingMessage): string {
  const tagged = req as Tagged;
  if (tagged[REQUEST_ID]) return tagged[REQUEST_ID];
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && /^[A-Za-z0-9._:@/+=-]{1,128}$/.test(incoming) ? incoming : randomUUID();
  tagged[REQUEST_ID] = id;
  return id;
}

/** Remembers the matched route pattern (`/api/records/:id`) for the access log line written at the end. */
export function rememberRoute(req: IncomingMessage, route: string | undefined): void {
  if (route) (req as Tagged)[ROUTE] = route;
}

/** The URL with the values of secret-looking query parameters replaced. */
export function loggableUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  for (const key of [...params.keys()]) if (SECRET_QUERY.test(key)) params.set(key, '[redacted]');
  return `${url.slice(0, q)}?${params.toString().replaceAll('%5Bredacted%5D', '[redacted]')}`;
}

function accessFields(req: IncomingMessage, res: ServerResponse, durationMs: number) {
  return {
    method: req.method,
    route: (req as Tagged)[ROUTE] ?? null,
    url: loggableUrl((req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? ''),
    status: res.statusCode,
    durationMs: Math.round(durationMs * 10) / 10,
  };
}

/**
 * pino-http: one "request completed" line per request with request id, method, route, URL, status and
 * duration (no headers, no bodies); every other line logged while a request is handled carries its
 * requestId. 5xx lines are errors, everything else info.
 */
export function httpLogOptions(): HttpLogOptions {
  return {
    genReqId: (req) => requestId(req),
    quietReqLogger: true,
    quietResLogger: true,
    customAttributeKeys: { reqId: 'requestId', responseTime: 'durationMs' },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessMessage: (req, res) => `${req.method} ${(req as Tagged)[ROUTE] ?? loggableUrl(req.url ?? '')} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${(req as Tagged)[ROUTE] ?? loggableUrl(req.url ?? '')} ${res.statusCode}`,
    customSuccessObject: (req, res, val: { durationMs?: number }) => accessFields(req, res, val.durationMs ?? 0),
    customErrorObject: (req, res, err, val: { durationMs?: number }) => ({ ...accessFields(req, res, val.durationMs ?? 0), err: { type: err.name, message: err.message } }),
  };
}
