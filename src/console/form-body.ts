import type { FastifyRequest } from 'fastify';

/** An `application/x-www-form-urlencoded` console form (bodies arrive as raw bytes, see create-app.ts). */
export function formBody(request: FastifyRequest): URLSearchParams {
  return new URLSearchParams(Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '');
}
