import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { clientAddress } from '../../common/client-address';
import { Forbidden } from '../../common/errors';
import { FUEL_CONFIG, FuelConfig } from './fuel.config';

/**
 * Spec fuelstats.md §5: the analytics exports and reports answer only clients in ANALYTICS_ALLOWED_CIDRS (403 error body
 * otherwise), on top of the admin credential. The address is used for this decision only, never logged or stored.
 */
@Injectable()
export class AnalyticsNetworkGuard implements CanActivate {
  constructor(@Inject(FUEL_CONFIG) private readonly config: FuelConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const forwarded = request.headers['x-forwarded-for'];
    const address = clientAddress(request.raw.socket?.remoteAddress, Array.isArray(forwarded) ? forwarded.join(',') : forwarded, this.config.trustedProxies);
    if (!this.config.analyticsAllowedCidrs.contains(address)) throw new Forbidden('Analytics exports are not available from this network (ANALYTICS_ALLOWED_CIDRS)', 'network');
    return true;
  }
}
