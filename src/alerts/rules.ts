/**
 * Alert rules as data (pure). A trigger is something that may deserve a notification: an opted-in
 * failure report or the first crash of a new crash group. A rule picks triggers of one kind, optionally
 * narrowed to a release and/or an operation, and names the channels to notify.
 */
export type TriggerKind = 'failure_report' | 'crash_group';
export const TRIGGER_KINDS: readonly TriggerKind[] = ['failure_report', 'crash_group'];

export type TriggerFacts = Readonly<{
  /** Fuel release (failure reports) or OS build (crash groups). */
  release: string | null;
  /** The failed operation (task name, e.g. `deploy`), or the crash classification. */
  operation: string | null;
}> &
  Readonly<Record<string, unknown>>;

export type AlertTrigger = Readonly<{ eventId: string; kind: TriggerKind; subjectKey: string; facts: TriggerFacts; occurredAt: string }>;

export type AlertRule = Readonly<{
  id: string;
  name: string;
  enabled: boolean;
  kind: TriggerKind;
  /** null = any. */
  release: string | null;
  operation: string | null;
  channelIds: readonly string[];
}>;

export type ChannelKind = 'webhook' | 'email';
export type AlertChannel = Readonly<{
  id: string;
  name: string;
  kind: ChannelKind;
  enabled: boolean;
  /** Webhook URL, or comma-separated e-mail recipients. */
  target: string;
  timeoutMs: number | null;
  /** Webhook signing secret, sealed with the contact cipher (null for e-mail). */
  sealedSecret: string | null;
}>;

export type PlannedDelivery = Readonly<{ dedupeKey: string; triggerEventId: string; ruleId: string; channelId: string }>;

/** The built-in rule: every opted-in failure report (spec fuelstats.md §7.3 "notification per report"). */
export const DEFAULT_RULE_ID = '00000000-0000-4000-8000-00000000a1e7';

export function ruleMatches(rule: AlertRule, trigger: AlertTrigger): boolean {
  if (!rule.enabled || rule.kind !== trigger.kind) return false;
  if (rule.release !== null && rule.release !== trigger.facts.release) return false;
  if (rule.operation !== null && rule.operation !== trigger.facts.operation) return false;
  return true;
}

/** One notification per (trigger, rule, channel); the key makes a redelivered event notify once. */
export function deliveryKey(triggerEventId: string, ruleId: string, channelId: string): string {
  return `${triggerEventId}/${ruleId}/${channelId}`;
}

/** Deliveries due for a trigger under the current rules; disabled or unknown channels are skipped. */
export function plannedDeliveries(trigger: AlertTrigger, rules: readonly AlertRule[], liveChannels: ReadonlySet<string>): PlannedDelivery[] {
  const out = new Map<string, PlannedDelivery>();
  for (const rule of rules) {
    if (!ruleMatches(rule, trigger)) continue;
    for (const channelId of rule.channelIds) {
      if (!liveChannels.has(channelId)) continue;
      const dedupeKey = deliveryKey(trigger.eventId, rule.id, channelId);
      out.set(dedupeKey, { dedupeKey, triggerEventId: trigger.eventId, ruleId: rule.id, channelId });
    }
  }
  return [...out.values()];
}
