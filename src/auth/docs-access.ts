import type { FastifyInstance } from 'fastify';
import { AppConfig } from '../config/app-config';
import { Unauthenticated } from '../common/errors';
import { Authenticator } from './authenticator';

const DOCS_PATH = /^\/api\/docs(?:[/?-]|$)/;

/**
 * The Swagger UI and the OpenAPI document are plain fastify routes (SwaggerModule.setup), which the
 * global guard never sees: this hook asks the same Authenticator for them. Viewer is the weakest role,
 * so any caller may read them; `docs` in PUBLIC_READ_ROUTES reopens them. Must be added after the cookie plugin.
 */
export function requireCallerForDocs(fastify: FastifyInstance, authenticator: Authenticator, config: AppConfig): void {
  if (config.publicReadRoutes.includes('docs')) return;
  fastify.addHook('onRequest', async (request, reply) => {
    if (!DOCS_PATH.test(request.url)) return;
    try {
      request.principal = await authenticator.authenticate(request);
    } catch (err) {
      if (!(err instanceof Unauthenticated)) throw err;
      // The same answers as the error filter gives a guarded route.
      if (err.loginUrl) return reply.status(302).header('location', err.loginUrl).send();
      return reply.status(401).header('www-authenticate', 'Bearer').type('application/json; charset=utf-8').send(JSON.stringify({ message: err.message }));
    }
  });
}
