import { applyDecorators, CallHandler, ExecutionContext, Injectable, NestInterceptor, UseInterceptors } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Observable } from 'rxjs';

/**
 * Sets `Cache-Control: no-store` before the handler runs, so it is on every answer of the route: JSON, a
 * rendered page, a stream sent through `@Res()`, or an error.
 */
@Injectable()
class NoStoreInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    context.switchToHttp().getResponse<FastifyReply>().header('cache-control', 'no-store');
    return next.handle();
  }
}

/**
 * For answers that carry decrypted customer contacts (or columns meant for them): no browser cache, proxy
 * or back/forward cache may keep a copy. On a controller or on single routes.
 */
export const NoStore = () => applyDecorators(UseInterceptors(NoStoreInterceptor));
