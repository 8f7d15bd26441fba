import { Migration } from '@mikro-orm/migrations';

/**
 * Events a projector could not apply (a poison event: data the database refuses), set aside so the events
 * behind them are applied. The event itself stays in `event_log`; a retry reads it from there.
 */
export class Migration20261204040000ProjectorQuarantine extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE projector_quarantine (
        projector  text        NOT NULL,
        event_id   uuid        NOT NULL,
        event_type text        NOT NULL,
        partition  text        NOT NULL,
        position   bigint      NOT NULL,
        error      text        NOT NULL,
        attempts   integer     NOT NULL DEFAULT 1,
        first_seen timestamptz NOT NULL DEFAULT now(),
        last_seen  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (projector, event_id)
      );`);
  }
}
