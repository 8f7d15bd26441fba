import { TelemetryEvent, adminEvent as platformAdminEvent } from '../event-log/event';
import type { AlertChannel, AlertRule } from './rules';

/** Rule and channel changes are facts on the admin stream; the `alert-rules` projector keeps the current set. */
export const RULE_SAVED = 'alerts.rule.saved';
export const RULE_DELETED = 'alerts.rule.deleted';
export const CHANNEL_SAVED = 'alerts.channel.saved';
export const CHANNEL_DELETED = 'alerts.channel.deleted';

export type RuleSaved = TelemetryEvent<typeof RULE_SAVED, { rule: AlertRule }, 1>;
export type RuleDeleted = TelemetryEvent<typeof RULE_DELETED, { ruleId: string }, 1>;
export type ChannelSaved = TelemetryEvent<typeof CHANNEL_SAVED, { channel: AlertChannel }, 1>;
export type ChannelDeleted = TelemetryEvent<typeof CHANNEL_DELETED, { channelId: string }, 1>;
export type AlertsEvent = RuleSaved | RuleDeleted | ChannelSaved | ChannelDeleted;

/** Keyed by rule/channel id so the changes of one rule stay in order (Kafka partition). */
const adminEvent = <E extends AlertsEvent>(type: E['type'], key: string, data: E['data'], at: string, id?: string): E =>
  platformAdminEvent<E>(type, 'alerts', key, data, at, id);

export const ruleSaved = (rule: AlertRule, at: string, id?: string): RuleSaved => adminEvent<RuleSaved>(RULE_SAVED, rule.id, { rule }, at, id);
export const ruleDeleted = (ruleId: string, at: string): RuleDeleted => adminEvent<RuleDeleted>(RULE_DELETED, ruleId, { ruleId }, at);
export const channelSaved = (channel: AlertChannel, at: string): ChannelSaved => adminEvent<ChannelSaved>(CHANNEL_SAVED, channel.id, { channel }, at);
export const channelDeleted = (channelId: string, at: string): ChannelDeleted => adminEvent<ChannelDeleted>(CHANNEL_DELETED, channelId, { channelId }, at);
