import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InvalidInput, NotFound } from '../common/errors';
import { EventLog } from '../event-log/event-log';
import { ProjectorRuntime } from '../event-log/projector-runtime';
import { ContactCipher } from '../sources/fuel/failure-reports/contact-cipher';
import { channelDeleted, channelSaved, ruleDeleted, ruleSaved } from './alerts.events';
import { ALERTS_CONFIG, AlertsConfig } from './alerts.config';
import { AlertsSchemas } from './alerts-schemas';
import { DeliveriesRepository } from './deliveries.repository';
import { AlertChannel, AlertRule, ChannelKind, DEFAULT_RULE_ID, TriggerKind } from './rules';
import { WebhookAllowList, webhookUrlRefusal } from './webhook-target';

export type RuleInput = Readonly<{ name: string; enabled?: boolean; kind: TriggerKind; release?: string | null; operation?: string | null; channel_ids: string[] }>;
export type ChannelInput = Readonly<{ name: string; enabled?: boolean; kind: ChannelKind; target: string; timeout_ms?: number | null; secret?: string }>;

/** What the API shows of a channel: never the secret, only whether one is set. */
export type ChannelView = Omit<AlertChannel, 'sealedSecret'> & Readonly<{ hasSecret: boolean }>;

const EMAIL = /^[^@\s,]+@[^@\s,]+\.[^@\s,.]+$/;

/**
 * Rule and channel changes: validate, append the change as an event (durable), then wait briefly for the
 * `alert-rules` projector so the caller reads its own write.
 */
@Injectable()
export class AlertsAdminService {
  private readonly logger = new Logger('alerts');

  constructor(
    private readonly log: EventLog,
    private readonly runtime: ProjectorRuntime,
    private readonly schemas: AlertsSchemas,
    private readonly deliveries: DeliveriesRepository,
    private readonly cipher: ContactCipher,
    @Inject(ALERTS_CONFIG) private readonly config: AlertsConfig,
  ) {}

  rules(): Promise<AlertRule[]> {
    return this.deliveries.rules();
  }

  async channels(): Promise<ChannelView[]> {
    return (await this.deliveries.channels()).map(channelView);
  }

  async saveRule(input: unknown, id: string = randomUUID()): Promise<AlertRule> {
    this.schemas.assert('alerts/rule.v1', input);
    const r = input as RuleInput;
    const rule: AlertRule = {
      id,
      name: r.name.trim(),
      enabled: r.enabled ?? true,
      kind: r.kind,
      release: blankToNull(r.release),
      operation: blankToNull(r.operation),
      channelIds: [...new Set(r.channel_ids.map((c) => c.toLowerCase()))],
    };
    await this.log.appendOne(ruleSaved(rule, new Date().toISOString()));
    await this.settle();
    return rule;
  }

  async deleteRule(id: string): Promise<void> {
    if (!(await this.deliveries.rules()).some((r) => r.id === id)) throw new NotFound(`rule ${id} not found`, 'not_found');
    await this.log.appendOne(ruleDeleted(id, new Date().toISOString()));
    await this.settle();
  }

  async saveChannel(input: unknown, id?: string): Promise<ChannelView> {
    this.schemas.assert('alerts/channel.v1', input);
    const c = input as ChannelInput;
    const existing = id ? await this.deliveries.channel(id) : undefined;
    if (id && !existing) throw new NotFound(`channel ${id} not found`, 'not_found');
    const channelId = id ?? randomUUID();
    const target = c.kind === 'webhook' ? webhookTarget(c.target, this.config.webhookAllowList) : emailTarget(c.target);
    const channel: AlertChannel = {
      id: channelId,
      name: c.name.trim(),
      kind: c.kind,
      enabled: c.enabled ?? true,
      target,
      timeoutMs: c.timeout_ms ?? null,
      sealedSecret: c.kind !== 'webhook' ? null : c.secret ? this.cipher.sealSecret(c.secret, channelId) : (existing?.sealedSecret ?? null),
    };
    await this.log.appendOne(channelSaved(channel, new Date().toISOString()));
    await this.settle();
    return channelView(channel);
  }

  async deleteChannel(id: string): Promise<void> {
    if (!(await this.deliveries.channel(id))) throw new NotFound(`channel ${id} not found`, 'not_found');
    await this.log.appendOne(channelDeleted(id, new Date().toISOString()));
    await this.settle();
  }

  /**
   * The default rule ("every opted-in failure report", no channels until support adds one) is created once,
   * as an event with a fixed id; later edits or its deletion are never undone by a restart.
   */
  async seedDefaultRule(): Promise<void> {
    const rules = await this.deliveries.rules();
    if (rules.length > 0 || (await this.deliveries.anyRuleEverLogged())) return;
    const rule: AlertRule = { id: DEFAULT_RULE_ID, name: 'Every opted-in failure report', enabled: true, kind: 'failure_report', release: null, operation: null, channelIds: [] };
    await this.log.appendOne(ruleSaved(rule, new Date().toISOString(), DEFAULT_RULE_ID));
  }

  private async settle(): Promise<void> {
    await this.runtime.catchUp(['alert-rules'], 10_000).catch((err) => this.logger.warn(`rules not yet visible: ${(err as Error).message}`));
  }
}

function channelView(c: AlertChannel): ChannelView {
  const { sealedSecret, ...rest } = c;
  return { ...rest, hasSecret: sealedSecret !== null };
}

function blankToNull(v: string | null | undefined): string | null {
  const t = v?.trim();
  return t ? t : null;
}

function webhookTarget(target: string, allow: WebhookAllowList): string {
  let url: URL;
  try {
    url = new URL(target.trim());
  } catch {
    throw new InvalidInput('/target: must be an https URL', 'schema');
  }
  const refusal = webhookUrlRefusal(url, allow);
  if (refusal) throw new InvalidInput(`/target: ${refusal}`, 'webhook_target');
  return url.toString();
}

function emailTarget(target: string): string {
  const list = target.split(',').map((s) => s.trim()).filter(Boolean);
  if (list.length === 0 || !list.every((a) => EMAIL.test(a))) throw new InvalidInput('/target: must be comma-separated e-mail addresses', 'schema');
  return list.join(', ');
}
