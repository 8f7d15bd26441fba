import { Migration } from '@mikro-orm/migrations';

/**
 * Immediate failure reports and their alerts (spec fuelstats.md §7). Projections: `failure_reports`,
 * `customer_contacts` (the only table with contact data, sealed with AES-256-GCM), `alert_triggers`,
 * `alert_crash_groups` (projector `alerts`), `alert_rules`, `alert_channels` (projector `alert-rules`).
 * Owned by the delivery worker, never truncated by a replay: `alert_deliveries` (one row per
 * trigger × rule × channel, unique dedupe key) and `alert_delivery_attempts` (audit trail).
 */
export class Migration20261123142000FailureAlerts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE failure_reports (
        report_uuid      text        PRIMARY KEY,
        event_id         uuid        NOT NULL,
        master_node_uid  text        NOT NULL,
        received_at      timestamptz NOT NULL,
        created_at       text        NOT NULL,
        release          text,
        operation        text,
        task_name        text,
        cluster_id       bigint,
        notified         boolean     NOT NULL,
        action_log       jsonb       NOT NULL,
        context          jsonb,
        status           text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged')),
        acknowledged_at  timestamptz,
        acknowledged_by  text,
        ack_note         text,
        assignee         text
      );`);
    this.addSql(`CREATE INDEX failure_reports_received ON failure_reports (received_at DESC);`);
    this.addSql(`CREATE INDEX failure_reports_release ON failure_reports (release, received_at DESC);`);
    this.addSql(`
      CREATE TABLE customer_contacts (
        report_uuid  text        PRIMARY KEY,
        key_id       text        NOT NULL,
        sealed       text        NOT NULL,
        stored_at    timestamptz NOT NULL
      );`);
    this.addSql(`
      CREATE TABLE alert_crash_groups (
        group_key       text        PRIMARY KEY,
        function        text        NOT NULL,
        module          text        NOT NULL,
        classification  text        NOT NULL,
        build           text        NOT NULL,
        first_event_id  uuid        NOT NULL,
        first_seen      timestamptz NOT NULL
      );`);
    this.addSql(`
      CREATE TABLE alert_triggers (
        event_id       uuid        PRIMARY KEY,
        kind           text        NOT NULL,
        subject_key    text        NOT NULL,
        facts          jsonb       NOT NULL,
        occurred_at    timestamptz NOT NULL,
        dispatched_at  timestamptz
      );`);
    this.addSql(`CREATE INDEX alert_triggers_pending ON alert_triggers (occurred_at) WHERE dispatched_at IS NULL;`);
    this.addSql(`
      CREATE TABLE alert_rules (
        id           uuid        PRIMARY KEY,
        name         text        NOT NULL,
        enabled      boolean     NOT NULL,
        kind         text        NOT NULL,
        release      text,
        operation    text,
        channel_ids  jsonb       NOT NULL,
        updated_at   timestamptz NOT NULL
      );`);
    this.addSql(`
      CREATE TABLE alert_channels (
        id             uuid        PRIMARY KEY,
        name           text        NOT NULL,
        kind           text        NOT NULL,
        enabled        boolean     NOT NULL,
        target         text        NOT NULL,
        timeout_ms     integer,
        sealed_secret  text,
        updated_at     timestamptz NOT NULL
      );`);
    this.addSql(`
      CREATE TABLE alert_deliveries (
        id                bigserial   PRIMARY KEY,
        dedupe_key        text        NOT NULL UNIQUE,
        trigger_event_id  uuid        NOT NULL,
        trigger_kind      text        NOT NULL,
        subject_key       text        NOT NULL,
        rule_id           uuid        NOT NULL,
        channel_id        uuid        NOT NULL,
        state             text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'retrying', 'sent', 'dead')),
        attempts          integer     NOT NULL DEFAULT 0,
        last_error        text,
        last_status       integer,
        next_attempt_at   timestamptz NOT NULL DEFAULT now(),
        claimed_until     timestamptz,
        created_at        timestamptz NOT NULL DEFAULT now(),
        updated_at        timestamptz NOT NULL DEFAULT now(),
        sent_at           timestamptz
      );`);
    this.addSql(`CREATE INDEX alert_deliveries_due ON alert_deliveries (next_attempt_at) WHERE state IN ('pending', 'retrying', 'sending');`);
    this.addSql(`CREATE INDEX alert_deliveries_subject ON alert_deliveries (subject_key);`);
    this.addSql(`CREATE INDEX alert_deliveries_dead ON alert_deliveries (updated_at DESC) WHERE state = 'dead';`);
    this.addSql(`
      CREATE TABLE alert_delivery_attempts (
        id           bigserial   PRIMARY KEY,
        delivery_id  bigint      NOT NULL REFERENCES alert_deliveries (id) ON DELETE CASCADE,
        attempt      integer     NOT NULL,
        started_at   timestamptz NOT NULL,
        duration_ms  integer     NOT NULL,
        outcome      text        NOT NULL,
        status       integer,
        error        text
      );`);
    this.addSql(`CREATE INDEX alert_delivery_attempts_delivery ON alert_delivery_attempts (delivery_id, id);`);
  }
}
