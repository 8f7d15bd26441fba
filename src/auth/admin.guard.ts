import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { Forbidden, Unauthenticated } from '../common/errors';
import { AdminToken } from './admin-token';
import { SESSION_COOKIE } from './cookies';

export const PUBLIC_ROUTE = 'public-route';
/** Marks an ingest/health/metrics route as open; everything else needs the admin credential. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether a cookie-authenticated change comes from a page of this site: the Origin header (every current
 * browser sends it with a POST), else the Referer, must name this host. Neither is a refusal: a browser
 * always sends one of them, and scripts use the bearer token.
 */
export function sameOrigin(request: Readonly<{ headers: Readonly<Record<string, string | string[] | undefined>> }>): boolean {
  const origin = request.headers.origin ?? request.headers.referer;
  const host = request.headers.host;
  if (typeof origin !== 'string' || typeof host !== 'string' || origin === 'null') return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * Global guard: console pages and admin/API routes need `Authorization: Bearer <token>` or the session
 * cookie; browsers without either are sent to /login, API clients get 401 JSON.
 */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly token: AdminToken,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (this.token.matches(bearer)) return true;
    if (this.token.matchesSession(request.cookies?.[SESSION_COOKIE])) {
      // A browser sends the cookie with a form another site posts to us: changes need our own origin.
      if (!SAFE_METHODS.has(request.method) && !sameOrigin(request)) throw new Forbidden('cross-site request refused: Origin or Referer must be this site', 'csrf');
      return true;
    }

    const wantsPage = request.method === 'GET' && (request.headers.accept ?? '').includes('text/html') && !request.headers['hx-request'];
    throw new Unauthenticated(wantsPage ? `/login?next=${encodeURIComponent(request.url)}` : undefined);
  }
}
