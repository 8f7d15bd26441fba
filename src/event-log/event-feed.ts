import { TelemetryEvent } from './event';
import { Projector } from './projector';

/** Events for one projector plus the position to checkpoint once they are applied. */
export type FeedBatch = Readonly<{
  events: readonly TelemetryEvent[];
  partition: string;
  position: string;
  /** Where the batch starts (the checkpoint the feed believes committed): checked when several instances share the database. */
  after?: string;
}>;
export type BatchHandler = (batch: FeedBatch) => Promise<void>;

/**
 * Delivers the active log's events to one projector, from where its checkpoint says, until stopped.
 * A batch counts as consumed only when the handler resolved (which means it committed rows and
 * checkpoint together); a rejected batch is delivered again after a back-off.
 */
export interface EventFeed {
  start(projector: Projector, handle: BatchHandler): Promise<void>;
  stop(): Promise<void>;
  /** Events (or positions) the projector is behind the log. */
  lag(): Promise<number>;
}
