import { AlertRule, AlertTrigger, deliveryKey, plannedDeliveries, ruleMatches } from '../../../src/alerts/rules';

const trigger = (over: Partial<AlertTrigger['facts']> = {}, kind: AlertTrigger['kind'] = 'failure_report'): AlertTrigger => ({
  eventId: 'e1', kind, subjectKey: 's', occurredAt: '2026-11-23T12:00:00.000Z', facts: { release: '9.0', operation: 'deploy', ...over },
});
const rule = (over: Partial<AlertRule> = {}): AlertRule => ({
  id: 'r1', name: 'r', enabled: true, kind: 'failure_report', release: null, operation: null, channelIds: ['c1'], ...over,
});

describe('ruleMatches', () => {
  it.each([
    ['the default rule matches every failure report', rule(), trigger(), true],
    ['a release rule matches its release', rule({ release: '9.0' }), trigger(), true],
    ['a release rule ignores other releases', rule({ release: '8.0' }), trigger(), false],
    ['an operation rule matches its operation', rule({ operation: 'deploy' }), trigger(), true],
    ['an operation rule ignores other operations', rule({ operation: 'update' }), trigger(), false],
    ['release and operation must both match', rule({ release: '9.0', operation: 'update' }), trigger(), false],
    ['a disabled rule matches nothing', rule({ enabled: false }), trigger(), false],
    ['a failure-report rule ignores crash groups', rule(), trigger({}, 'crash_group'), false],
    ['a crash-group rule matches a new crash group', rule({ kind: 'crash_group' }), trigger({}, 'crash_group'), true],
  ])('%s', (_name, r, t, expected) => {
    expect(ruleMatches(r, t)).toBe(expected);
  });
});

describe('plannedDeliveries', () => {
  it('plans one delivery per matching rule and live channel, keyed by event, rule and channel', () => {
    const rules = [rule({ id: 'r1', channelIds: ['c1', 'c2', 'gone'] }), rule({ id: 'r2', release: '8.0', channelIds: ['c1'] }), rule({ id: 'r3', channelIds: ['c1', 'c1'] })];
    const planned = plannedDeliveries(trigger(), rules, new Set(['c1', 'c2']));
    expect(planned.map((p) => p.dedupeKey)).toEqual([deliveryKey('e1', 'r1', 'c1'), deliveryKey('e1', 'r1', 'c2'), deliveryKey('e1', 'r3', 'c1')]);
  });
  it('gives the same keys for a redelivered trigger, so it never notifies twice', () => {
    const a = plannedDeliveries(trigger(), [rule()], new Set(['c1']));
    const b = plannedDeliveries(trigger(), [rule()], new Set(['c1']));
    expect(a).toEqual(b);
  });
});
