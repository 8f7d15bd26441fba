import { newEventId, TelemetryEvent } from '../../src/event-log/event';

/** A test event with overridable defaults. */
export function anEvent(overrides: Partial<TelemetryEvent> = {}): TelemetryEvent {
  return {
    id: newEventId(),
    type: 'test.thing.happened',
    version: 1,
    stream: 'platform.admin',
    source: 'test',
    key: 'machine-1',
    receivedAt: new Date().toISOString(),
    data: { n: 1 },
    ...overrides,
  };
}
