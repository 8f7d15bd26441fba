import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { Forbidden } from '../common/errors';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/tokens';
import { Authenticator } from './authenticator';
import type { PublicReadRouteName } from '../config/public-read-routes';
import { PUBLIC_READ_ROUTE, REQUIRED_ROLE, Role, roleAtLeast } from './roles';

export { sameOrigin } from './authenticator';

export const PUBLIC_ROUTE = 'public-route';
/** Marks an ingest/health/login route as open; everything else needs a credential and a role. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/**
 * Global guard: every route is open (`@Public()`, or `@PublicReadRoute(name)` named in PUBLIC_READ_ROUTES)
 * or needs a caller (Authenticator) whose role is at least the route's `@RequiresRole` (admin when
 * undeclared). No credential: 401 (browsers asking for a page go to /login); too weak a role: 403 naming
 * the role needed.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const reopened = this.reflector.getAllAndOverride<PublicReadRouteName | undefined>(PUBLIC_READ_ROUTE, targets);
    if (reopened && this.config.publicReadRoutes.includes(reopened)) return true;
    const needed = this.reflector.getAllAndOverride<Role | undefined>(REQUIRED_ROLE, targets) ?? 'admin';
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const principal = await this.authenticator.authenticate(request);
    request.principal = principal;
    if (!roleAtLeast(principal.role, needed)) throw new Forbidden(`this route needs role ${needed} or higher (you have ${principal.role})`, 'role');
    return true;
  }
}
