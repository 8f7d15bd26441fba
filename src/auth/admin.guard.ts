import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { Unauthenticated } from '../common/errors';
import { AdminToken } from './admin-token';
import { SESSION_COOKIE } from './cookies';

export const PUBLIC_ROUTE = 'public-route';
/** Marks an ingest/health/metrics route as open; everything else needs the admin credential. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

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
    if (this.token.matches(bearer) || this.token.matchesSession(request.cookies?.[SESSION_COOKIE])) return true;

    const wantsPage = request.method === 'GET' && (request.headers.accept ?? '').includes('text/html') && !request.headers['hx-request'];
    throw new Unauthenticated(wantsPage ? `/login?next=${encodeURIComponent(request.url)}` : undefined);
  }
}
