import type { INestApplication, Type } from '@nestjs/common';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { PUBLIC_ROUTE } from '../auth/admin.guard';
import { SESSION_COOKIE } from '../auth/cookies';
import { OPENAPI_ANSWERS, OPENAPI_BODIES, OPENAPI_EXTRA_PATHS } from './openapi-answers';
import { componentSchemas } from '../common/swagger-schema';

type Json = Record<string, unknown>;
type Operation = Json & { operationId: string; responses?: Record<string, Json>; tags?: string[]; security?: unknown[] };

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * Source tag of a path, first matching prefix wins. By path rather than by the controllers' own @ApiTags: an
 * integrator looks for "the Fuel API", and one table keeps every route under exactly one of these names.
 */
const TAGS: ReadonlyArray<readonly [tag: string, description: string, prefixes: readonly string[]]> = [
  ['support', 'Fuel failure reports for the support team (support role)', ['/api/support/']],
  ['clearlinux', 'Clear Linux telemetrics: collector, records, crashes, analytics', ['/v2/collector', '/v3/collector', '/api/records', '/api/clearlinux/']],
  ['fuel', 'Fuel anonymous statistics: collector, reports, exports', ['/api/v1/']],
  ['submissions', 'Generic submissions (/submit) and their read API', ['/submit/', '/api/submissions/']],
  ['nodes', 'Substrate node telemetry read API', ['/nodes', '/reputation', '/stats/', '/host_systems', '/benchmarks']],
  ['alerts', 'Alert rules, channels and deliveries', ['/api/alerts/']],
  ['admin', 'Projectors, replays and quarantine', ['/api/admin/']],
  ['platform', 'Health, metrics, drop accounting, plugin views', ['/healthz', '/metrics', '/api/drops', '/api/plugins']],
];
/** `POST /` is the Clear Linux v2 collector's first path (older clients post to the root). */
const ROOT_TAG = 'clearlinux';

export function tagOf(path: string): string {
  if (path === '/') return ROOT_TAG;
  const found = TAGS.find(([, , prefixes]) => prefixes.some((p) => path === p.replace(/\/$/, '') || path.startsWith(p)));
  if (!found) throw new Error(`OpenAPI: no source tag for ${path} (add its prefix to TAGS in openapi-document.ts)`);
  return found[0];
}

const AUTHENTICATED = [{ bearer: [] }, { cookie: [] }];

/**
 * The OpenAPI 3.1 document of the application: Nest's scan of the controllers, then one pass that makes it
 * something a validator accepts and a client generator can type (ids, tags, security, components, answers).
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const handlers = new HandlerIndex(app);
  const scanned = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Telemetry platform')
      .setDescription('Ingest (Clear Linux, Fuel, generic submissions, node telemetry), analytics and admin APIs')
      .setVersion('0.1.0')
      .build(),
    // A marker naming the handler; finishOperationIds turns it into the published id.
    { operationIdFactory: (controller, method) => `${controller}#${method}` },
  );
  return finishDocument(scanned, handlers);
}

export function finishDocument(scanned: OpenAPIObject, handlers: Pick<HandlerIndex, 'isPublic'>): OpenAPIObject {
  const doc = JSON.parse(JSON.stringify(scanned)) as OpenAPIObject & { paths: Record<string, Record<string, Operation>> };
  doc.openapi = '3.1.0';
  Object.assign(doc.paths, JSON.parse(JSON.stringify(OPENAPI_EXTRA_PATHS)));
  doc.paths = withoutNullable(doc.paths) as typeof doc.paths;
  const operations = [...eachOperation(doc.paths)];
  finishOperationIds(operations);
  for (const { path, method, op } of operations) {
    op.tags = [tagOf(path)];
    // The marker left by OPENAPI_EXTRA_PATHS or by the scan says which handler answers this route.
    op.security = op['x-public'] === true || handlers.isPublic(op['x-handler'] as string) ? [] : AUTHENTICATED;
    delete op['x-public'];
    delete op['x-handler'];
    applyAnswer(op, `${method.toUpperCase()} ${path}`);
    describeErrors(op, path);
  }
  doc.tags = TAGS.map(([name, description]) => ({ name, description }));
  doc.components = {
    securitySchemes: {
      // An opaque token (ADMIN_TOKEN or DATA_DIR/admin-token), not a JWT.
      bearer: { type: 'http', scheme: 'bearer', description: 'the admin token: `Authorization: Bearer <token>`' },
      cookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'the console session cookie set by POST /login' },
    },
    schemas: componentSchemas() as never,
  };
  delete (doc as Partial<OpenAPIObject>).security;
  return doc;
}

/** Inline schemas written for OpenAPI 3.0 (`nullable: true`) in the 3.1 form, where null is one of the types. */
function withoutNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutNullable);
  if (!node || typeof node !== 'object') return node;
  const { nullable, ...rest } = node as Json;
  const out = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, withoutNullable(v)]));
  if (nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  return out;
}

function* eachOperation(paths: Record<string, Record<string, Operation>>): Generator<{ path: string; method: string; op: Operation }> {
  for (const path of Object.keys(paths).sort()) for (const method of HTTP_METHODS) if (paths[path]![method]) yield { path, method, op: paths[path]![method]! };
}

/**
 * `<Controller>#<method>[i]` markers → ids from the method name, prefixed with the source tag
 * (`clearlinuxPostV3`, `supportAcknowledge`); where two handlers of one source share a method name, the
 * controller's name goes in between (`clearlinuxRecordsApiList`, `clearlinuxCrashesApiList`). The second and
 * later paths of one handler (`@Post(['/', 'v2/collector'])`) get their index: `clearlinuxPostV2_1`. The
 * result depends only on the routes, never on scan order.
 */
function finishOperationIds(operations: ReadonlyArray<{ path: string; op: Operation }>): void {
  const parsed = operations.map(({ path, op }) => {
    const marker = /^([^#]+)#([^[]+)(?:\[(\d+)\])?$/.exec(op.operationId);
    if (!marker) throw new Error(`OpenAPI: unexpected operation id ${op.operationId} on ${path}`);
    const [, controller, method, alias] = marker as unknown as [string, string, string, string | undefined];
    op['x-handler'] = `${controller}#${method}`;
    return { op, tag: tagOf(path), controller: controller.replace(/(Api)?Controller$/, (m) => (m.startsWith('Api') ? 'Api' : '')), method, alias: Number(alias ?? 0) };
  });
  const short = (p: (typeof parsed)[number]) => camel(p.tag, p.method);
  const owners = new Map<string, Set<string>>();
  for (const p of parsed) owners.set(short(p), (owners.get(short(p)) ?? new Set()).add(p.controller));
  for (const p of parsed) {
    const base = owners.get(short(p))!.size > 1 ? camel(p.tag, p.controller, p.method) : short(p);
    p.op.operationId = p.alias > 0 ? `${base}_${p.alias}` : base;
  }
  const seen = new Set<string>();
  for (const { op } of parsed) {
    if (seen.has(op.operationId)) throw new Error(`OpenAPI: duplicate operationId ${op.operationId}`);
    seen.add(op.operationId);
  }
}

const camel = (...parts: string[]) => parts.map((p, i) => (i === 0 ? p.charAt(0).toLowerCase() : p.charAt(0).toUpperCase()) + p.slice(1)).join('');

/** Puts the table's answer schema (and body schema) on the operation; a route the table does not know keeps what its decorators said. */
function applyAnswer(op: Operation, route: string): void {
  const answer = OPENAPI_ANSWERS[route];
  if (answer) {
    op.responses ??= {};
    for (const [status, spec] of Object.entries(answer)) {
      if (spec === null) {
        delete op.responses[status];
        continue;
      }
      const existing = op.responses[status] ?? {};
      op.responses[status] = {
        description: (existing.description as string | undefined) || spec.description || 'OK',
        ...(spec.schema ? { content: { [spec.contentType ?? 'application/json']: { schema: spec.schema } } } : {}),
      };
    }
  }
  const body = OPENAPI_BODIES[route];
  if (body) op.requestBody = { required: true, content: { [body.contentType ?? 'application/json']: { schema: body.schema } } };
  // Nest writes `{}` for a decorated response without a schema; a schema-less answer is only right for bodiless ones.
  for (const response of Object.values(op.responses ?? {})) if (response.content && Object.keys(response.content as Json).length === 0) delete response.content;
}

/**
 * Error answers carry the one error body of ErrorFilter (the Fuel collector's own under /api/v1/, fuelstats.md §2.2),
 * and a guarded route says it answers 401 without the credential.
 */
function describeErrors(op: Operation, path: string): void {
  const schema = { $ref: `#/components/schemas/${path.startsWith('/api/v1/') ? 'fuel.error-response.v1' : 'api.error-response.v1'}` };
  op.responses ??= {};
  if (op.security?.length) op.responses['401'] ??= { description: 'no or a wrong credential (Authorization: Bearer, or the session cookie)' };
  for (const [status, response] of Object.entries(op.responses)) {
    if (/^[45]/.test(status) && !response.content) response.content = { 'application/json': { schema } };
  }
}

/** Whether a handler (`<Controller>#<method>`) is open (@Public() on it or on its controller). */
export class HandlerIndex {
  private readonly controllers = new Map<string, Type[]>();
  private readonly reflector = new Reflector();

  constructor(app: INestApplication) {
    for (const module of app.get(ModulesContainer).values()) {
      for (const wrapper of module.controllers.values()) {
        const type = wrapper.metatype as Type | undefined;
        if (type) this.controllers.set(type.name, [...(this.controllers.get(type.name) ?? []), type]);
      }
    }
  }

  isPublic(handler: string | undefined): boolean {
    if (!handler) return false;
    const [name, method] = handler.split('#') as [string, string];
    // Two controllers may share a class name (Clear Linux's and Fuel's CollectorController): the one with this method.
    const owners = (this.controllers.get(name) ?? []).filter((type) => typeof (type.prototype as Json)[method] === 'function');
    if (owners.length !== 1) throw new Error(`OpenAPI: ${owners.length} controllers answer ${handler}`);
    const type = owners[0]!;
    return this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [(type.prototype as Record<string, () => unknown>)[method]!, type]) === true;
  }
}
