import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AdminToken } from './auth/admin-token';
import { applyRouteBodyLimits, DEFAULT_BODY_LIMIT_BYTES } from './common/body-limit';
import { buildOpenApiDocument } from './openapi/openapi-document';
import { Authenticator } from './auth/authenticator';
import { requireCallerForDocs } from './auth/docs-access';
import { CONSOLE_DIR, PROJECT_ROOT } from './common/paths';
import { AppConfig } from './config/app-config';
import type { Env } from './config/env-readers';
import { consoleViewEngine } from './console/view-engine';
import { rememberRoute, requestId } from './logging/log-options';
import { instrumentHttp } from './metrics/http-metrics';
import { Metrics } from './metrics/metrics';

/** A request whose body has not arrived by then is cut (a slow-body client would otherwise hold its socket for ever). */
export const REQUEST_TIMEOUT_MS = 60_000;

/**
 * The console's Content-Security-Policy: scripts only from this origin (htmx, ECharts and the console's own
 * files; data for charts travels in `<script type="application/json">`, which is not executed), inline
 * styles for ECharts' tooltips, no framing, forms only to this origin.
 */
const CONTENT_SECURITY_POLICY = {
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
};

/**
 * Builds the HTTP application for a config (used by main.ts and by the tests). Bodies are read as raw
 * bytes for every content type: wire-compatible collectors must decode them themselves (Clear Linux
 * sends `application/text` or form types that must not be form-parsed; Fuel wants its own 400 body).
 */
export async function createApp(config: AppConfig, adminToken: AdminToken, env: Env = process.env, metrics = new Metrics()): Promise<NestFastifyApplication> {
  // 1 MiB unless a route opts in (common/body-limit.ts): ingest routes only.
  const adapter = new FastifyAdapter({ bodyLimit: DEFAULT_BODY_LIMIT_BYTES, trustProxy: false, requestTimeout: REQUEST_TIMEOUT_MS, routerOptions: { maxParamLength: 10_240 }, genReqId: requestId });
  const fastify = adapter.getInstance();
  applyRouteBodyLimits(fastify as unknown as FastifyInstance);
  // Sockets beyond the cap are closed on accept (idle keep-alive and node websockets count too).
  fastify.server.maxConnections = config.maxConnections;
  // The request id (a sane incoming X-Request-Id or a new UUID) goes back to the client; the route pattern
  // is kept for the access log line pino-http writes when the response is finished.
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    rememberRoute(request.raw, request.routeOptions.url);
  });
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  instrumentHttp(fastify, metrics);

  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot({ config, env, adminToken, metrics }), adapter, {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  // No app.enableShutdownHooks(): main.ts owns SIGTERM/SIGINT (exit code, a second signal, deadlines) and
  // calls app.close(), which runs the same hooks; tests and benchmarks call app.close() themselves.
  app.setViewEngine(consoleViewEngine() as never);
  // request.cookies for the console session; a Cookie header that does not parse yields no cookie, never an error.
  await app.register(fastifyCookie);
  requireCallerForDocs(fastify as unknown as FastifyInstance, app.get(Authenticator), config);
  // Security headers on every answer (CSP, no framing, nosniff, Referrer-Policy, HSTS for HTTPS deployments).
  // `same-origin` rather than helmet's `no-referrer`: under `no-referrer` a browser sends `Origin: null` with
  // the console's own form posts, and the CSRF check (AdminGuard) could no longer tell them from a foreign site's.
  await app.register(fastifyHelmet, { contentSecurityPolicy: CONTENT_SECURITY_POLICY, referrerPolicy: { policy: 'same-origin' } });
  // Only routes that ask for it are limited (the login form); the limiter keeps client addresses in memory only.
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifyStatic, { root: join(CONSOLE_DIR, 'static'), prefix: '/static/', decorateReply: false });
  registerVendorAssets(fastify as unknown as FastifyInstance);

  // Built on the first request for the docs, not at start-up (scanning every route costs ~0.15 s).
  const document = () => buildOpenApiDocument(app);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  return app;
}

/** htmx and ECharts are served from node_modules (no CDN): exact files, long cache. */
function registerVendorAssets(fastify: FastifyInstance): void {
  const assets: Record<string, string> = {
    'htmx.min.js': 'htmx.org/dist/htmx.min.js',
    'echarts.min.js': 'echarts/dist/echarts.min.js',
  };
  for (const [name, path] of Object.entries(assets)) {
    fastify.get(`/static/vendor/${name}`, (_req, reply) =>
      reply.header('cache-control', 'public, max-age=86400').type('application/javascript').send(createReadStream(join(PROJECT_ROOT, 'node_modules', path))),
    );
  }
}
