import { Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { InvalidInput, NotFound } from '../common/errors';
import { jsonObjectBody } from '../common/http-input';
import { AlertsAdminService } from './alerts-admin.service';
import { DeliveriesRepository, DeliveryState } from './deliveries.repository';
import { DeliveryWorker } from './delivery.worker';
import { RequiresRole } from '../auth/roles';

const STATES: readonly DeliveryState[] = ['pending', 'sending', 'retrying', 'sent', 'dead'];

/** Rules, channels and the delivery log (admin token). Rule and channel changes are events. */
@ApiTags('alerts')
@ApiBearerAuth()
@RequiresRole('support')
@Controller('api/alerts')
export class AlertsApiController {
  constructor(
    private readonly admin: AlertsAdminService,
    private readonly deliveries: DeliveriesRepository,
    private readonly worker: DeliveryWorker,
  ) {}

  @Get('rules')
  async rules() {
    return { rules: await this.admin.rules() };
  }

  @Post('rules')
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a rule' })
  @ApiBody({ description: 'schemas/alerts/rule.v1.json' })
  createRule(@Req() req: FastifyRequest) {
    return this.admin.saveRule(jsonObjectBody(req, { allowEmpty: true }));
  }

  @Put('rules/:id')
  @ApiBody({ description: 'schemas/alerts/rule.v1.json' })
  async updateRule(@Param('id') id: string, @Req() req: FastifyRequest) {
    const known = (await this.admin.rules()).some((r) => r.id === id);
    if (!known) throw new NotFound(`rule ${id} not found`, 'not_found');
    return this.admin.saveRule(jsonObjectBody(req, { allowEmpty: true }), id);
  }

  @Delete('rules/:id')
  @HttpCode(204)
  async deleteRule(@Param('id') id: string) {
    await this.admin.deleteRule(id);
  }

  @Get('channels')
  @ApiOperation({ summary: 'Channels (secrets are write-only: only hasSecret is shown)' })
  async channels() {
    return { channels: await this.admin.channels() };
  }

  @Post('channels')
  @HttpCode(201)
  @ApiBody({ description: 'schemas/alerts/channel.v1.json' })
  createChannel(@Req() req: FastifyRequest) {
    return this.admin.saveChannel(jsonObjectBody(req, { allowEmpty: true }));
  }

  @Put('channels/:id')
  @ApiBody({ description: 'schemas/alerts/channel.v1.json (omit secret to keep the current one)' })
  updateChannel(@Param('id') id: string, @Req() req: FastifyRequest) {
    return this.admin.saveChannel(jsonObjectBody(req, { allowEmpty: true }), id);
  }

  @Delete('channels/:id')
  @HttpCode(204)
  async deleteChannel(@Param('id') id: string) {
    await this.admin.deleteChannel(id);
  }

  @Get('deliveries')
  @ApiOperation({ summary: 'Delivery log, most recently changed first (state=pending|sending|retrying|sent|dead, limit ≤ 1000)' })
  async list(@Query('state') state?: string, @Query('limit') limit?: string) {
    if (state !== undefined && !STATES.includes(state as DeliveryState)) throw new InvalidInput(`state: must be one of ${STATES.join(', ')}`, 'query');
    const n = limit === undefined ? 100 : Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InvalidInput('limit: must be a whole number from 1 to 1000', 'query');
    const rows = await this.deliveries.byState((state as DeliveryState) ?? null, n);
    const attempts = await this.deliveries.attemptsFor(rows.map((r) => r.id));
    return { deliveries: rows.map((d) => ({ ...d, attemptsLog: attempts.filter((a) => a.delivery_id === d.id) })), counts: await this.deliveries.countByState() };
  }

  @Post('deliveries/:id/retry')
  @HttpCode(202)
  @ApiOperation({ summary: 'Retry a dead-lettered delivery now (a fresh series of attempts)' })
  async retry(@Param('id') id: string) {
    if (!/^\d{1,18}$/.test(id) || !(await this.deliveries.retry(id))) throw new NotFound(`no dead delivery ${id}`, 'not_found');
    this.worker.wake();
    return { id, state: 'pending' };
  }
}
