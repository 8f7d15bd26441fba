import type { CookieSerializeOptions } from '@fastify/cookie';

/**
 * The console's session cookie. Parsing and serialising are @fastify/cookie's (registered in createApp):
 * a Cookie header that does not parse leaves `request.cookies` without it, so the request is anonymous.
 */
export const SESSION_COOKIE = 'tp_session';

export const SESSION_COOKIE_OPTIONS: CookieSerializeOptions = { path: '/', httpOnly: true, sameSite: 'strict' };
