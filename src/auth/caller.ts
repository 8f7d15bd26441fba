import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Principal } from './principal';

/** The account a guarded route acts for (set by the access guard); a handler parameter `@Caller() caller: Principal`. */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<FastifyRequest>().principal;
  // Only an open route has none, and an open route has no business asking who called.
  if (!principal) throw new Error('@Caller() on a route without a caller (is it @Public?)');
  return principal;
});
