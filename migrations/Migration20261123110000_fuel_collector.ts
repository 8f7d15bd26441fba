import { Migration } from '@mikro-orm/migrations';

/**
 * Fuel collector (spec fuelstats.md §3): claim tables written by the command handlers (201/200 and
 * added/updated decisions) and the projections of the fuel.* streams. Plain tables (no hypertables):
 * the natural keys (uid, external id) carry no time column and the volumes are modest.
 */
export class Migration20261123110000FuelCollector extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE fuel_installation_claims (
        master_node_uid text        PRIMARY KEY,
        created_at      timestamptz NOT NULL DEFAULT now()
      );`);
    this.addSql(`
      CREATE TABLE fuel_record_claims (
        kind            text        NOT NULL,
        master_node_uid text        NOT NULL,
        external_id     bigint      NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (kind, master_node_uid, external_id)
      );`);

    this.addSql(`
      CREATE TABLE fuel_installations (
        id                bigserial   UNIQUE,
        master_node_uid   text        PRIMARY KEY,
        structure         jsonb       NOT NULL,
        creation_date     timestamptz NOT NULL,
        modification_date timestamptz,
        is_filtered       boolean     NOT NULL DEFAULT false,
        release           text,
        last_event_id     uuid        NOT NULL
      );`);
    this.addSql(`CREATE INDEX fuel_installations_release ON fuel_installations (release) WHERE NOT is_filtered;`);
    this.addSql(`
      CREATE TABLE fuel_installation_versions (
        event_id        uuid        PRIMARY KEY,
        master_node_uid text        NOT NULL,
        received_at     timestamptz NOT NULL,
        structure       jsonb       NOT NULL,
        is_filtered     boolean     NOT NULL,
        release         text
      );`);
    this.addSql(`CREATE INDEX fuel_installation_versions_uid ON fuel_installation_versions (master_node_uid, received_at);`);
    this.addSql(`
      CREATE TABLE fuel_clusters (
        master_node_uid text    NOT NULL,
        cluster_id      bigint  NOT NULL,
        status          text,
        mode            text,
        nodes_num       integer,
        fuel_version    text,
        release_version text,
        release_os      text,
        release_name    text,
        attributes      jsonb,
        PRIMARY KEY (master_node_uid, cluster_id)
      );`);
    this.addSql(`
      CREATE TABLE fuel_nodes (
        master_node_uid text    NOT NULL,
        cluster_id      bigint  NOT NULL,
        node_id         bigint  NOT NULL,
        status          text,
        os              text,
        manufacturer    text,
        roles           jsonb   NOT NULL,
        PRIMARY KEY (master_node_uid, cluster_id, node_id)
      );`);

    this.addSql(`
      CREATE TABLE fuel_action_logs (
        id              bigserial   UNIQUE,
        master_node_uid text        NOT NULL,
        external_id     bigint      NOT NULL,
        action_type     text,
        action_name     text,
        body            jsonb       NOT NULL,
        event_id        uuid        NOT NULL,
        received_at     timestamptz NOT NULL,
        PRIMARY KEY (master_node_uid, external_id)
      );`);
    this.addSql(`CREATE INDEX fuel_action_logs_type_name ON fuel_action_logs (action_type, action_name);`);

    this.addSql(`
      CREATE TABLE fuel_oswl (
        id                bigserial   UNIQUE,
        master_node_uid   text        NOT NULL,
        external_id       bigint      NOT NULL,
        cluster_id        bigint      NOT NULL,
        created_date      date        NOT NULL,
        updated_time      text        NOT NULL,
        resource_type     text        NOT NULL,
        resource_checksum text        NOT NULL,
        resource_data     jsonb       NOT NULL,
        version_info      jsonb,
        event_id          uuid        NOT NULL,
        received_at       timestamptz NOT NULL,
        PRIMARY KEY (master_node_uid, external_id)
      );`);
    this.addSql(`CREATE INDEX fuel_oswl_type_date ON fuel_oswl (resource_type, created_date);`);

    this.addSql(`
      CREATE TABLE fuel_ostf_runs (
        id              bigserial   UNIQUE,
        master_node_uid text        NOT NULL,
        external_id     bigint      NOT NULL,
        cluster_id      bigint      NOT NULL,
        testset         text        NOT NULL,
        status          text        NOT NULL,
        started_at      text        NOT NULL,
        ended_at        text        NOT NULL,
        fuel_version    text,
        release_version text,
        event_id        uuid        NOT NULL,
        received_at     timestamptz NOT NULL,
        PRIMARY KEY (master_node_uid, external_id)
      );`);
    this.addSql(`
      CREATE TABLE fuel_ostf_tests (
        master_node_uid text    NOT NULL,
        run_id          bigint  NOT NULL,
        ordinal         integer NOT NULL,
        test_id         text    NOT NULL,
        status          text    NOT NULL,
        taken           double precision,
        PRIMARY KEY (master_node_uid, run_id, ordinal)
      );`);
  }
}
