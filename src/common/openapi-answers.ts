import { swaggerSchema } from './swagger-schema';

type Schema = Record<string, unknown>;
export type AnswerSpec = Readonly<{ description?: string; contentType?: string; schema?: Schema }>;

const ref = (dir: Parameters<typeof swaggerSchema>[0], id: string) => swaggerSchema(dir, `${id}.json`) as Schema;

/**
 * Answers of routes whose controllers do not declare a schema, by `<METHOD> <path>` of the document: the JSON
 * Schemas under schemas/ describe what the handlers return (test/integration/http/openapi-document.spec.ts
 * checks some against real answers). Kept here rather than on the controllers so that the document's gaps are
 * closed in one place; a route with its own @ApiOkResponse schema needs no line.
 */
export const OPENAPI_ANSWERS: Readonly<Record<string, Readonly<Record<string, AnswerSpec>>>> = {};

/** Request bodies the controllers read raw (every body is parsed by its handler, never by Nest). */
export const OPENAPI_BODIES: Readonly<Record<string, Readonly<{ contentType?: string; schema: Schema }>>> = {};

/**
 * Routes whose Nest form cannot be documented and are written here instead: `/submit/*` is one wildcard route
 * (SubmitController, @ApiExcludeEndpoint), published as the path form clients use (submissions-and-nodes.md §A.3).
 */
export const OPENAPI_EXTRA_PATHS: Readonly<Record<string, Schema>> = {};
void ref;
