import type { FastifyReply, FastifyRequest } from 'fastify';
import { FuelSchemaId, FuelSchemas } from '../fuel-schemas';
import { decodeJsonBody } from './request-body';

/** One `/api/v1/<path>` endpoint: the answer body, the status already set on the reply. */
export type CollectorHandler = (req: FastifyRequest, reply: FastifyReply) => Promise<Record<string, unknown>>;

/**
 * An endpoint under /api/v1/ that another part of Fuel serves (the failure reports): the collector
 * dispatches its trailing-slash spelling and answers its wrong methods (405) as for its own endpoints.
 */
export type CollectorEndpoint = Readonly<{ path: string; method: 'POST'; handle: CollectorHandler }>;
export const COLLECTOR_ENDPOINTS = Symbol('COLLECTOR_ENDPOINTS');

/** exec_time (fuelstats.md §2.2): seconds as a float with microsecond precision. */
export function execTime(startedNs: bigint): number {
  return Math.round(Number(process.hrtime.bigint() - startedNs) / 1000) / 1e6;
}

/** The decoded body (fuelstats.md §2.1), checked against its request schema (400 naming the failing rule). */
export function readCollectorBody(req: FastifyRequest, schemas: FuelSchemas, schema: FuelSchemaId): Record<string, unknown> {
  const body = decodeJsonBody(req.headers, req.body as Buffer | undefined);
  schemas.assert(schema, body);
  return body;
}
