import { Controller, Get, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AdminToken } from '../auth/admin-token';
import { Public } from '../auth/admin.guard';
import { SESSION_COOKIE, SESSION_COOKIE_OPTIONS } from '../auth/cookies';
import { AppConfig, runtimeMode } from '../config/app-config';
import { DatabaseCapabilities } from '../database/capabilities';
import { EventLog } from '../event-log/event-log';
import { ProjectorRuntime } from '../event-log/projector-runtime';
import { APP_CONFIG, DB_CAPABILITIES } from '../platform/tokens';
import { renderPage } from './render';
import { formBody } from '../common/http-input';

/** Console shell: home (mode, capabilities, projector lag), login and logout. */
@ApiExcludeController()
@Controller()
export class ConsoleController {
  constructor(
    private readonly runtime: ProjectorRuntime,
    private readonly log: EventLog,
    private readonly token: AdminToken,
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
  // Guessing the token through the form: 10 tries a minute per client (429 + Retry-After beyond).
  @RouteConfig({ rateLimit: { max: 10, timeWindow: 60_000 } })
  login(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const form = formBody(request);
    const next = safeNext(form.get('next') ?? undefined);
    if (!this.token.matches(form.get('token') ?? undefined)) {
      return reply.status(401).view('pages/login.hbs', { title: 'Sign in', next, failed: true, anonymous: true }, { layout: 'layouts/main.hbs' });
    }
    return reply.status(303).setCookie(SESSION_COOKIE, this.token.sessionValue(), { ...SESSION_COOKIE_OPTIONS, maxAge: 12 * 3600 }).header('location', next).send();
  }

  @Post('logout')
  logout(@Res() reply: FastifyReply) {
    return reply.status(303).clearCookie(SESSION_COOKIE, SESSION_COOKIE_OPTIONS).header('location', '/login').send();
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
