import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { InvalidInput, NotFound } from '../common/errors';
import { renderPage } from '../console/render';
import { AlertsAdminService } from './alerts-admin.service';
import { DeliveriesRepository } from './deliveries.repository';
import { DeliveryWorker } from './delivery.worker';
import { TRIGGER_KINDS } from './rules';
import { formBody } from '../common/http-input';
import { RequiresRole } from '../auth/roles';

const RULES_PATH = '/console/alerts/rules';
const DEAD_PATH = '/console/alerts/dead-letters';

/** Rules editor (rules and channels; every change is an event) and the dead-letter list with retry. */
@ApiExcludeController()
@RequiresRole('support')
@Controller('console/alerts')
export class AlertsConsoleController {
  constructor(
    private readonly admin: AlertsAdminService,
    private readonly deliveries: DeliveriesRepository,
    private readonly worker: DeliveryWorker,
  ) {}

  @Get('rules')
  async rules(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.renderRules(request, reply, null);
  }

  @Post('rules')
  async createRule(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.formAction(request, reply, () => this.admin.saveRule(ruleInput(formBody(request))));
  }

  @Post('rules/:id')
  async updateRule(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    if (!(await this.admin.rules()).some((r) => r.id === id)) throw new NotFound(`rule ${id} not found`, 'not_found');
    return this.formAction(request, reply, () => this.admin.saveRule(ruleInput(formBody(request)), id));
  }

  @Post('rules/:id/delete')
  async deleteRule(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.formAction(request, reply, () => this.admin.deleteRule(id));
  }

  @Post('channels')
  async createChannel(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.formAction(request, reply, () => this.admin.saveChannel(channelInput(formBody(request))));
  }

  @Post('channels/:id/delete')
  async deleteChannel(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.formAction(request, reply, () => this.admin.deleteChannel(id));
  }

  @Get('dead-letters')
  async deadLetters(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const rows = await this.deliveries.byState('dead', 200);
    const attempts = await this.deliveries.attemptsFor(rows.map((r) => r.id));
    return renderPage(request, reply, { page: 'pages/alerts/dead-letters.hbs', title: 'Dead letters' }, {
      nav: 'alerts-dead',
      rows: rows.map((d) => ({ ...d, attemptsLog: attempts.filter((a) => a.delivery_id === d.id), isReport: d.trigger_kind === 'failure_report' })),
      counts: await this.deliveries.countByState(),
    });
  }

  @Post('deliveries/:id/retry')
  async retry(@Param('id') id: string, @Res() reply: FastifyReply) {
    if (!/^\d{1,18}$/.test(id) || !(await this.deliveries.retry(id))) throw new NotFound(`no dead delivery ${id}`, 'not_found');
    this.worker.wake();
    return reply.status(303).header('location', DEAD_PATH).send();
  }

  /** Runs a change; a validation problem re-renders the editor with the message instead of a JSON 400. */
  private async formAction(request: FastifyRequest, reply: FastifyReply, change: () => Promise<unknown>) {
    try {
      await change();
    } catch (err) {
      if (!(err instanceof InvalidInput)) throw err;
      return this.renderRules(request, reply.status(400), err.message);
    }
    return reply.status(303).header('location', RULES_PATH).send();
  }

  private async renderRules(request: FastifyRequest, reply: FastifyReply, problem: string | null) {
    const [rules, channels] = await Promise.all([this.admin.rules(), this.admin.channels()]);
    const names = new Map(channels.map((c) => [c.id, c.name]));
    return renderPage(request, reply, { page: 'pages/alerts/rules.hbs', title: 'Alert rules' }, {
      nav: 'alerts-rules',
      problem,
      rules: rules.map((r) => ({
        ...r,
        channelNames: r.channelIds.map((id) => names.get(id) ?? `${id} (deleted)`).join(', ') || 'none',
        channelChoices: channels.map((c) => ({ id: c.id, name: c.name, checked: r.channelIds.includes(c.id) })),
        kindChoices: TRIGGER_KINDS.map((k) => ({ value: k, selected: k === r.kind })),
      })),
      channels,
      kinds: TRIGGER_KINDS,
    });
  }
}

function ruleInput(form: URLSearchParams): Record<string, unknown> {
  return {
    name: form.get('name') ?? '',
    enabled: form.get('enabled') === 'on',
    kind: form.get('kind') ?? '',
    release: form.get('release') || null,
    operation: form.get('operation') || null,
    channel_ids: form.getAll('channel_ids'),
  };
}

function channelInput(form: URLSearchParams): Record<string, unknown> {
  const timeout = form.get('timeout_ms');
  const input: Record<string, unknown> = {
    name: form.get('name') ?? '',
    enabled: true,
    kind: form.get('kind') ?? '',
    target: form.get('target') ?? '',
    timeout_ms: timeout ? Number(timeout) : null,
  };
  const secret = form.get('secret');
  if (secret) input.secret = secret;
  return input;
}
