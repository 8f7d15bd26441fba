import { swaggerSchema } from '../common/swagger-schema';

type Schema = Record<string, unknown>;
export type AnswerSpec = Readonly<{ description?: string; contentType?: string; schema?: Schema }>;

const ref = (dir: Parameters<typeof swaggerSchema>[0], id: string) => swaggerSchema(dir, `${id}.json`) as Schema;

/**
 * Answers of routes whose controllers do not declare a schema, by `<METHOD> <path>` of the document: the JSON
 * Schemas under schemas/ describe what the handlers return (test/integration/http/openapi-document.spec.ts
 * checks some against real answers). Kept here rather than on the controllers so that the document's gaps are
 * closed in one place; a route with its own @ApiOkResponse schema needs no line.
 */
const ok = (dir: Parameters<typeof swaggerSchema>[0], id: string, status = '200'): Readonly<Record<string, AnswerSpec>> => ({ [status]: { schema: ref(dir, id) } });
const text = (contentType: string, description: string): Readonly<Record<string, AnswerSpec>> => ({ '200': { contentType, description, schema: { type: 'string' } } });

/** 202: the list changed and regrouping started; 200: nothing to change (`warnings` says why). */
const neverGuiltyEdit: Readonly<Record<string, AnswerSpec>> = {
  '200': { description: 'nothing to change', schema: ref('clearlinux', 'never-guilty-edit-response.v1') },
  '202': { description: 'list changed; regrouping started — poll GET /api/clearlinux/never-guilty/regroup', schema: ref('clearlinux', 'never-guilty-edit-response.v1') },
};

export const OPENAPI_ANSWERS: Readonly<Record<string, Readonly<Record<string, AnswerSpec | null>>>> = {
  // null: a status Nest assumed that the route never answers
  'GET /v2/collector': { '200': null, '302': { description: 'to the records page of the console (Location)' } },
  // platform
  'GET /healthz': { '200': { schema: ref('api', 'health-response.v1') }, '503': { description: 'database or event log unavailable', schema: ref('api', 'health-response.v1') } },
  'GET /metrics': text('text/plain', 'Prometheus text exposition'),
  'GET /api/drops': ok('api', 'drops-response.v1'),
  'GET /api/plugins': ok('api', 'plugins-response.v1'),
  // admin
  'GET /api/admin/status': ok('api', 'admin-status-response.v1'),
  'POST /api/admin/tokens': ok('api', 'token-created-response.v1', '201'),
  'GET /api/admin/tokens': ok('api', 'tokens-response.v1'),
  'POST /api/admin/users': ok('api', 'user-created-response.v1', '201'),
  'GET /api/admin/users': ok('api', 'users-response.v1'),
  'GET /api/admin/contact-reads': ok('api', 'contact-reads-response.v1'),
  'POST /api/admin/projectors/{name}/replay': ok('api', 'replay-progress.v1', '202'),
  'GET /api/admin/projectors/{name}/replay': ok('api', 'replay-progress.v1'),
  'GET /api/admin/projectors/quarantine': ok('api', 'quarantine-response.v1'),
  'GET /api/admin/projectors/{name}/quarantine': ok('api', 'quarantine-response.v1'),
  'POST /api/admin/projectors/{name}/quarantine/{eventId}/retry': ok('api', 'quarantine-retry-response.v1'),
  // submissions
  'GET /api/submissions/documents': ok('api', 'submission-documents-response.v1'),
  'GET /api/submissions/errors': ok('api', 'submission-errors-response.v1'),
  'GET /api/submissions/stats': ok('api', 'submission-stats-response.v1'),
  'GET /api/submissions/counts': ok('api', 'submission-counts-response.v1'),
  'GET /api/submissions/schemas': ok('api', 'submission-schemas-response.v1'),
  // nodes
  'GET /nodes': ok('api', 'nodes-response.v1'),
  'GET /nodes/log_stats': ok('api', 'node-log-stats-response.v1'),
  'GET /nodes/logs': ok('api', 'node-logs-response.v1'),
  'GET /reputation': ok('api', 'reputation-reports-response.v1'),
  'GET /reputation/logged': ok('api', 'reputation-reports-response.v1'),
  'GET /reputation/mock/{qty}': ok('api', 'reputation-reports-response.v1'),
  'GET /reputation/{peerId}': ok('api', 'reputation-of-response.v1'),
  'GET /stats/db': ok('api', 'db-sizes-response.v1'),
  'GET /stats/version': text('text/html', 'name, version and description of the platform (upstream answered HTML)'),
  'GET /host_systems': ok('api', 'node-records-response.v1'),
  'POST /host_systems': ok('api', 'created-id-response.v1', '201'),
  'GET /benchmarks': ok('api', 'node-records-response.v1'),
  'POST /benchmarks': ok('api', 'created-id-response.v1', '201'),
  // alerts
  'GET /api/alerts/rules': ok('alerts', 'rules-response.v1'),
  'POST /api/alerts/rules': ok('alerts', 'rule-view.v1', '201'),
  'PUT /api/alerts/rules/{id}': ok('alerts', 'rule-view.v1'),
  'GET /api/alerts/channels': ok('alerts', 'channels-response.v1'),
  'POST /api/alerts/channels': ok('alerts', 'channel-view.v1', '201'),
  'PUT /api/alerts/channels/{id}': ok('alerts', 'channel-view.v1'),
  'GET /api/alerts/deliveries': ok('alerts', 'deliveries-response.v1'),
  'POST /api/alerts/deliveries/{id}/retry': ok('alerts', 'delivery-retry-response.v1', '202'),
  // clearlinux (the collector, /api/records, top-guilty, overview and the analytics views declare theirs)
  'GET /api/clearlinux/crashes': ok('clearlinux', 'crashes-of-guilty-response.v1'),
  'GET /api/clearlinux/crashes/builds/{build}': ok('clearlinux', 'top-of-build-response.v1'),
  'GET /api/clearlinux/crashes/{recordId}': ok('clearlinux', 'crash-detail-response.v1'),
  'POST /api/clearlinux/crashes/{recordId}/never-guilty': neverGuiltyEdit,
  'POST /api/clearlinux/never-guilty/reset': ok('clearlinux', 'regroup-status.v1', '202'),
  'GET /api/clearlinux/never-guilty': ok('clearlinux', 'never-guilty-list-response.v1'),
  'POST /api/clearlinux/never-guilty': neverGuiltyEdit,
  'DELETE /api/clearlinux/never-guilty': neverGuiltyEdit,
  'GET /api/clearlinux/never-guilty/regroup': ok('clearlinux', 'regroup-status.v1'),
  'GET /api/clearlinux/guilties': ok('clearlinux', 'annotated-guilties-response.v1'),
  'GET /api/clearlinux/guilties/{id}': ok('clearlinux', 'guilty-detail-response.v1'),
  'GET /api/clearlinux/guilties/{id}/crashes': ok('clearlinux', 'guilty-crashes-response.v1'),
  'PATCH /api/clearlinux/guilties/{id}': ok('clearlinux', 'guilty-annotate-response.v1'),
  // fuel collector (fuelstats.md §3, §7.3): the answers its senders read
  'GET /api/v1/ping': ok('fuel', 'ok-response.v1'),
  'POST /api/v1/action_logs': ok('fuel', 'action-logs-response.v1'),
  'POST /api/v1/installation_structure': { '200': { description: 'updated', schema: ref('fuel', 'ok-response.v1') }, '201': { description: 'created', schema: ref('fuel', 'ok-response.v1') } },
  'POST /api/v1/oswl_stats': ok('fuel', 'oswl-stats-response.v1'),
  'POST /api/v1/ostf_runs': ok('fuel', 'ostf-runs-response.v1'),
  'POST /api/v1/failure_reports': { '200': { description: 'known report_uuid', schema: ref('fuel', 'failure-report-response.v1') }, '201': { description: 'new report', schema: ref('fuel', 'failure-report-response.v1') } },
  // fuel reports and CSV exports
  ...Object.fromEntries(
    ['os', 'deployment_time', 'releases', 'hardware', 'deployment_failures', 'node_roles', 'ostf', 'installations'].map((name) => [`GET /api/v1/json/report/${name}`, ok('fuel', `report-${name}-response.v1`)]),
  ),
  'GET /api/v1/csv/clusters': text('text/csv', 'clusters.csv'),
  'GET /api/v1/csv/nodes': text('text/csv', 'nodes.csv'),
  'GET /api/v1/csv/plugins': text('text/csv', 'plugins.csv'),
  'GET /api/v1/csv/{resource_type}': text('text/csv', '<resource_type>.csv of the stored OSWL records'),
  'GET /api/v1/csv/all': { '200': { contentType: 'application/x-tar', description: 'every CSV export in one tar', schema: { type: 'string', contentMediaType: 'application/x-tar' } } },
  // support
  'GET /api/support/failure-reports': ok('fuel', 'support-reports-response.v1'),
  'GET /api/support/failure-reports/{uuid}': ok('fuel', 'support-report-detail-response.v1'),
  'POST /api/support/failure-reports/{uuid}/acknowledge': ok('fuel', 'support-report.v1'),
  'POST /api/support/failure-reports/{uuid}/assign': ok('fuel', 'support-report.v1'),
};

/** Request bodies the controllers read raw (every body is parsed by its handler, never by Nest). */
export const OPENAPI_BODIES: Readonly<Record<string, Readonly<{ contentType?: string; schema: Schema }>>> = {
  // v2: the record's fields travel as headers (clearlinux.md §3), the body is the payload as it is.
  'POST /': { contentType: 'application/octet-stream', schema: { type: 'string', contentMediaType: 'application/octet-stream' } },
  'POST /v2/collector': { contentType: 'application/octet-stream', schema: { type: 'string', contentMediaType: 'application/octet-stream' } },
  'POST /v3/collector': { schema: ref('clearlinux', 'collector-v3-request.v1') },
  'POST /api/alerts/rules': { schema: ref('alerts', 'rule.v1') },
  'PUT /api/alerts/rules/{id}': { schema: ref('alerts', 'rule.v1') },
  'POST /api/alerts/channels': { schema: ref('alerts', 'channel.v1') },
  'PUT /api/alerts/channels/{id}': { schema: ref('alerts', 'channel.v1') },
  'POST /api/support/failure-reports/{uuid}/acknowledge': { schema: ref('fuel', 'support-acknowledge-request.v1') },
  'POST /api/support/failure-reports/{uuid}/assign': { schema: ref('fuel', 'support-assign-request.v1') },
  'POST /api/v1/action_logs': { schema: ref('fuel', 'action-logs-request.v1') },
  'POST /api/v1/installation_structure': { schema: ref('fuel', 'installation-structure-request.v1') },
  'POST /api/v1/oswl_stats': { schema: ref('fuel', 'oswl-stats-request.v1') },
  'POST /api/v1/ostf_runs': { schema: ref('fuel', 'ostf-runs-request.v1') },
  'POST /api/v1/failure_reports': { schema: ref('fuel', 'failure-report-request.v1') },
  'POST /host_systems': { schema: { type: 'object' } },
  'POST /benchmarks': { schema: { type: 'object' } },
};

/**
 * Routes whose Nest form cannot be documented and are written here instead: `/submit/*` is one wildcard route
 * (SubmitController, @ApiExcludeEndpoint), published as the path form clients use (submissions-and-nodes.md §A.3).
 */
export const OPENAPI_EXTRA_PATHS: Readonly<Record<string, Schema>> = {
  '/submit/{namespace}/{docType}/{docVersion}/{docId}': submitPath('submitDocument', 'Submit a document (generic form); PUT is the same', [
    ['namespace', '1–64 of [A-Za-z0-9._-], compared lower-cased'],
    ['docType', '1–64 of [A-Za-z0-9._-], compared lower-cased'],
    ['docVersion', '1–9 digits'],
    ['docId', 'a UUID, stored lower-case'],
  ]),
  '/submit/telemetry/{docId}/{docType}/{appName}/{appVersion}/{appUpdateChannel}/{appBuildID}': submitPath('submitTelemetry', 'Submit a telemetry ping (the version is the body\'s `version`); PUT is the same', [
    ['docId', 'a UUID, stored lower-case'],
    ['docType', '1–64 of [A-Za-z0-9._-], compared lower-cased'],
    ['appName', '1–100 printable ASCII characters, no /'],
    ['appVersion', '1–100 printable ASCII characters, no /'],
    ['appUpdateChannel', '1–100 printable ASCII characters, no /'],
    ['appBuildID', '1–100 printable ASCII characters, no /'],
  ]),
};

/** POST and PUT of one /submit form (submissions-and-nodes.md §A.2, §A.3): 200 with an empty body once durable, `{"message"}` otherwise. */
function submitPath(name: string, summary: string, params: ReadonlyArray<readonly [string, string]>): Schema {
  const message = { 'application/json': { schema: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] } } };
  const operation = (method: string) => ({
    // The marker of a handler (see finishOperationIds); the route is open like every ingest route.
    operationId: `SubmitController#${name}${method}`,
    'x-public': true,
    summary,
    parameters: params.map(([param, description]) => ({ name: param, in: 'path', required: true, description, schema: { type: 'string' } })),
    requestBody: { required: true, content: { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } } },
    responses: {
      '200': { description: 'durably received (also duplicates and documents that fail validation later)', content: { 'text/plain': { schema: { type: 'string', const: '' } } } },
      '400': { description: 'an element of the path breaks its rule', content: message },
      '413': { description: 'body over the limit', content: message },
      '503': { description: 'event log unavailable (Retry-After)', content: message },
    },
  });
  return { post: operation('Post'), put: operation('Put') };
}
