import { Command } from '@nestjs/cqrs';
import { Headers } from './submission-metadata';

/** HTTP answer of a submission: 200 empty, or a status with a `{"message"}` body. */
export type SubmitOutcome = Readonly<{ status: number; message?: string; duplicate?: boolean }>;

export class SubmitDocument extends Command<SubmitOutcome> {
  constructor(
    /** Request path without the query string, as received. */
    readonly path: string,
    readonly args: string,
    readonly headers: Headers,
    /** The wire body, or undefined when it was not read (declared size over the limit). */
    readonly body: Buffer | undefined,
    readonly receivedAt: string,
    /** Declared (Content-Length) or observed body size when over SUBMIT_MAX_BODY_BYTES. */
    readonly oversizeBytes?: number,
    /** Socket peer address, for the geo lookup only: never copied into an event. */
    readonly socketAddress?: string,
  ) {
    super();
  }
}
