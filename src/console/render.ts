import '@fastify/view';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const CONSOLE_LAYOUT = 'layouts/main.hbs';

/**
 * One handler serves both the full page and its htmx partial: an htmx request (HX-Request header) gets
 * just `partial`, a normal navigation gets `page` inside the layout. `Vary` keeps caches apart.
 */
export function renderPage(
  request: FastifyRequest,
  reply: FastifyReply,
  view: Readonly<{ page: string; partial?: string; title: string }>,
  model: Record<string, unknown>,
): FastifyReply {
  void reply.header('vary', 'HX-Request').header('cache-control', 'no-store');
  if (view.partial && request.headers['hx-request'] && !request.headers['hx-boosted']) {
    return reply.view(view.partial, model);
  }
  return reply.view(view.page, { ...model, title: view.title }, { layout: CONSOLE_LAYOUT });
}

/** JSON for a `<script type="application/json">` block: `<` escaped so client data cannot close the tag. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}
