import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Forbidden, Unauthenticated } from '../common/errors';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/tokens';
import { AccountsRepository } from './accounts.repository';
import { AdminToken } from './admin-token';
import { SESSION_COOKIE } from './cookies';
import { UNKNOWN_USER_HASH, verifyPassword } from './passwords';
import { BOOTSTRAP_PRINCIPAL, newSecret, Principal, secretHash } from './principal';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/**
 * Bearer tokens and sessions are looked up by hash at most this often per value: an integrator's script
 * should not cost a write per request. Revoking on this instance empties the cache at once; another
 * instance sharing the database notices within this time.
 */
const CACHE_MS = 5_000;
const CACHE_MAX_ENTRIES = 10_000;

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
 * Who a request is: `Authorization: Bearer <token>` (the bootstrap admin token or an API token) or the
 * console session cookie (a random id; the sessions table holds its hash, subject, role and expiry).
 * The one place credentials are checked: the access guard and the docs hook both ask it.
 */
@Injectable()
export class Authenticator {
  private readonly cache = new Map<string, { principal: Principal | null; until: number }>();

  constructor(
    private readonly bootstrap: AdminToken,
    private readonly accounts: AccountsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The caller of a request, or Unauthenticated (browsers asking for a page get a login redirect). */
  async authenticate(request: FastifyRequest): Promise<Principal> {
    const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (bearer) {
      const principal = await this.byToken(bearer);
      if (principal) return principal;
    }
    const session = request.cookies?.[SESSION_COOKIE];
    if (session) {
      const principal = await this.bySession(session);
      if (principal) {
        // A browser sends the cookie with a form another site posts to us: changes need our own origin.
        if (!SAFE_METHODS.has(request.method) && !sameOrigin(request)) throw new Forbidden('cross-site request refused: Origin or Referer must be this site', 'csrf');
        return principal;
      }
    }
    const wantsPage = request.method === 'GET' && (request.headers.accept ?? '').includes('text/html') && !request.headers['hx-request'];
    throw new Unauthenticated(wantsPage ? `/login?next=${encodeURIComponent(request.url)}` : undefined);
  }

  /** The bootstrap admin token or a current API token. */
  async byToken(token: string): Promise<Principal | null> {
    if (this.bootstrap.matches(token)) return BOOTSTRAP_PRINCIPAL;
    const hash = secretHash(token);
    return this.cached(`t:${hash.toString('base64url')}`, async () => {
      const row = await this.accounts.activeTokenByHash(hash);
      return row ? { kind: 'token', id: row.id, name: row.name, role: row.role } : null;
    });
  }

  async byPassword(name: string, password: string): Promise<Principal | null> {
    const user = await this.accounts.currentUserByName(name);
    const valid = await verifyPassword(password, user?.password_hash ?? UNKNOWN_USER_HASH);
    return user && valid ? { kind: 'user', id: user.id, name: user.name, role: user.role } : null;
  }

  private bySession(sessionId: string): Promise<Principal | null> {
    const hash = secretHash(sessionId);
    return this.cached(`s:${hash.toString('base64url')}`, async () => (await this.accounts.activeSession(hash)) ?? null);
  }

  /**
   * A new console session for the principal; the answer is the cookie value (only its hash is stored).
   * A session opened with an API token also ends when the token expires (activeSession checks it).
   */
  async openSession(principal: Principal): Promise<{ id: string; expiresAt: Date }> {
    const id = newSecret();
    const expiresAt = new Date(Date.now() + this.config.sessionTtlHours * 3600_000);
    await this.accounts.insertSession({ idHash: secretHash(id), subject: principal, expiresAt });
    return { id, expiresAt };
  }

  async closeSession(sessionId: string): Promise<void> {
    await this.accounts.revokeSession(secretHash(sessionId));
    this.forgetAll();
  }

  /** After a revocation or removal: nothing cached may outlive it on this instance. */
  forgetAll(): void {
    this.cache.clear();
  }

  private async cached(key: string, load: () => Promise<Principal | null>): Promise<Principal | null> {
    const hit = this.cache.get(key);
    if (hit && hit.until > Date.now()) return hit.principal;
    const principal = await load();
    if (this.cache.size >= CACHE_MAX_ENTRIES) this.cache.clear();
    this.cache.set(key, { principal, until: Date.now() + CACHE_MS });
    return principal;
  }
}
