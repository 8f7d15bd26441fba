import { Controller, Get, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/admin.guard';
import { Authenticator } from '../auth/authenticator';
import { RequiresRole } from '../auth/roles';
import { SESSION_COOKIE, SESSION_COOKIE_OPTIONS } from '../auth/cookies';
import { AppConfig, runtimeMode } from '../config/app-config';
import { DatabaseCapabilities } from '../database/capabilities';
import { EventLog } from '../event-log/event-log';
import { ProjectorRuntime } from '../event-log/projector-runtime';
import { APP_CONFIG, DB_CAPABILITIES } from '../config/tokens';
import { renderPage } from './render';
import { formBody } from '../common/http-input';

/** Console shell: home (mode, capabilities, projector lag), login and logout. */
@ApiExcludeController()
@RequiresRole('viewer')
@Controller()
export class ConsoleController {
  constructor(
    private readonly runtime: ProjectorRuntime,
    private readonly log: EventLog,
    private readonly authenticator: Authenticator,
    @Inject(DB_CAPABILITIES) private readonly capabilities: DatabaseCapabilities,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Get()
  root(@Res() reply: FastifyReply) {
    return reply.status(302).header('location', '/console/clearlinux/records').send();
  }

  @Get('console')
  async home(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const projectors = await this.runtime.status();
    return renderPage(request, reply, { page: 'pages/home.hbs', partial: 'partials/_projectors.hbs', title: 'Platform' }, {
      mode: runtimeMode(this.config),
      capabilities: this.capabilities,
      eventLog: await this.log.health(),
      projectors,
      nav: 'home',
    });
  }

  @Public()
  @Get('login')
  loginForm(@Query('next') next: string | undefined, @Res() reply: FastifyReply) {
    return reply.view('pages/login.hbs', { title: 'Sign in', next: safeNext(next), anonymous: true }, { layout: 'layouts/main.hbs' });
  }

  @Public()
  @Post('login')
  // Guessing a password or token through the form: 10 tries a minute per client (429 + Retry-After beyond).
  @RouteConfig({ rateLimit: { max: 10, timeWindow: 60_000 } })
  async login(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const form = formBody(request);
    const next = safeNext(form.get('next') ?? undefined);
    // A token (the bootstrap admin token or an API token) when one is given, else name + password.
    const token = form.get('token');
    const name = form.get('name');
    const password = form.get('password');
    const principal = token ? await this.authenticator.byToken(token) : name && password ? await this.authenticator.byPassword(name, password) : null;
    if (!principal) {
      return reply.status(401).view('pages/login.hbs', { title: 'Sign in', next, failed: true, anonymous: true, name }, { layout: 'layouts/main.hbs' });
    }
    const session = await this.authenticator.openSession(principal);
    return reply
      .status(303)
      .setCookie(SESSION_COOKIE, session.id, { ...SESSION_COOKIE_OPTIONS, maxAge: this.config.sessionTtlHours * 3600, secure: this.servedOverHttps(request) })
      .header('location', next)
      .send();
  }

  /** Ends the session on the server too: a copy of the cookie is worthless afterwards. */
  @Post('logout')
  async logout(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const session = request.cookies?.[SESSION_COOKIE];
    if (session) await this.authenticator.closeSession(session);
    return reply.status(303).clearCookie(SESSION_COOKIE, SESSION_COOKIE_OPTIONS).header('location', '/login').send();
  }

  /** Behind TRUSTED_PROXIES proxies, the proxy's X-Forwarded-Proto says how the browser came; else the socket does. */
  private servedOverHttps(request: FastifyRequest): boolean {
    if (this.config.trustedProxies > 0) {
      const proto = request.headers['x-forwarded-proto'];
      const first = (Array.isArray(proto) ? proto[0] : proto)?.split(',')[0]?.trim().toLowerCase();
      if (first) return first === 'https';
    }
    return request.protocol === 'https';
  }
}

/**
 * Only paths of this site, so the login form cannot be used as an open redirect: browsers read `/\\host`
 * (and `/\t/host`) like `//host`, so a backslash or a control character anywhere refuses the value.
 */
export function safeNext(next: string | undefined): string {
  if (!next || !next.startsWith('/') || /[\\\x00-\x1f\x7f]/.test(next)) return '/console';
  const url = new URL(next, 'http://console.invalid');
  return url.origin === 'http://console.invalid' && !next.startsWith('//') ? next : '/console';
}
