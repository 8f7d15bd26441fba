import { Migration } from '@mikro-orm/migrations';

/**
 * Node telemetry (spec submissions-and-nodes.md §B.5): one row per websocket connection and one per message. Messages are written
 * directly by the batching buffer (not through the event log, see the nodes README section).
 * `substrate_logs` is a hypertable on `received_at` (server clock, the purge age, submissions-and-nodes.md §B.7); `logs` is jsonb
 * (U+0000 is replaced before insert). `closed_at` lets the purge skip open connections (submissions-and-nodes.md §B.7).
 */
export class Migration20261123104000Nodes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE peer_connections (
        id             serial      PRIMARY KEY,
        ip_addr        text,
        peer_id        text,
        created_at     timestamptz NOT NULL DEFAULT now(),
        closed_at      timestamptz,
        audit          boolean     NOT NULL DEFAULT false,
        name           text,
        chain          text,
        version        text,
        authority      boolean,
        startup_time   bigint,
        implementation text
      );`);
    this.addSql(`CREATE INDEX peer_connections_peer_id ON peer_connections (peer_id, created_at DESC);`);

    this.addSql(`
      CREATE TABLE substrate_logs (
        id                 bigserial   NOT NULL,
        peer_connection_id integer     NOT NULL REFERENCES peer_connections (id),
        created_at         timestamptz NOT NULL,
        received_at        timestamptz NOT NULL,
        ts_source          text        NOT NULL DEFAULT 'node',
        telemetry_id       bigint,
        logs               jsonb       NOT NULL,
        PRIMARY KEY (id, received_at)
      );`);
    this.addSql(`SELECT tp_make_hypertable('substrate_logs', 'received_at', interval '1 day');`);
    this.addSql(`CREATE INDEX substrate_logs_msg ON substrate_logs ((logs ->> 'msg'));`);
    this.addSql(`CREATE INDEX substrate_logs_created_msg ON substrate_logs (created_at, (logs ->> 'msg'));`);
    this.addSql(`CREATE INDEX substrate_logs_connection ON substrate_logs (peer_connection_id, created_at DESC);`);
    this.addSql(`CREATE INDEX substrate_logs_peerset_nodes ON substrate_logs USING gin ((logs -> 'state' -> 'peerset' -> 'nodes'));`);

    this.addSql(`
      CREATE TABLE node_message_errors (
        id                 bigserial   PRIMARY KEY,
        received_at        timestamptz NOT NULL,
        peer_connection_id integer,
        reason             text        NOT NULL,
        detail             text,
        frame_head         text
      );`);

    this.addSql(`
      CREATE TABLE host_systems (
        id          serial      PRIMARY KEY,
        created_at  timestamptz NOT NULL DEFAULT now(),
        body        jsonb       NOT NULL
      );`);
    this.addSql(`
      CREATE TABLE benchmarks (
        id          serial      PRIMARY KEY,
        created_at  timestamptz NOT NULL DEFAULT now(),
        body        jsonb       NOT NULL
      );`);
  }

  override async down(): Promise<void> {
    for (const t of ['benchmarks', 'host_systems', 'node_message_errors', 'substrate_logs', 'peer_connections']) this.addSql(`DROP TABLE IF EXISTS ${t};`);
  }
}
