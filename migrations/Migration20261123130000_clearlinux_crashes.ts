import { Migration } from '@mikro-orm/migrations';

/**
 * Clear Linux crashes (spec clearlinux.md §7): one row per crash record (the seven crash classifications of clearlinux.md §7.1),
 * projected from `clearlinux.record.accepted` by the `clearlinux-crashes` projector, with the parsed
 * crashing-thread frames and the guilty frame chosen with the never-guilty list in force when the row
 * was (re)computed. A hypertable on reception time (server clock), like `records`: partitioning on the
 * client's capture clock would let any client create chunks at will.
 *
 * `clr_never_guilty` is the current never-guilty list, maintained by the `clearlinux-never-guilty`
 * projector from `clearlinux.never-guilty.marked/unmarked` events (the list itself is data in the log).
 */
export class Migration20261123130000ClearlinuxCrashes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE crashes (
        record_id       bigint      NOT NULL,
        log_event_id    uuid        NOT NULL,
        classification  text        NOT NULL,
        machine_id      text        NOT NULL,
        os_name         text        NOT NULL,
        build           text        NOT NULL,
        ts_capture      timestamptz NOT NULL,
        ts_reception    timestamptz NOT NULL,
        program         text,
        pid             bigint,
        signal          integer,
        reason          text,
        frames          jsonb       NOT NULL,
        guilty_function text,
        guilty_module   text,
        -- which never-guilty list chose the guilty: a start-up after an edit whose regroup never ran can tell
        grouped_with    text        NOT NULL,
        UNIQUE (log_event_id, ts_reception)
      );`);
    this.addSql(`SELECT tp_make_hypertable('crashes', 'ts_reception', interval '7 days');`);
    this.addSql(`CREATE INDEX crashes_guilty ON crashes (guilty_function, guilty_module, ts_reception);`);
    this.addSql(`CREATE INDEX crashes_record_id ON crashes (record_id);`);
    this.addSql(`CREATE INDEX crashes_build ON crashes (build);`);

    this.addSql(`
      CREATE TABLE clr_never_guilty (
        function  text        NOT NULL,
        module    text        NOT NULL,
        marked_at timestamptz NOT NULL,
        PRIMARY KEY (function, module)
      );`);
  }
}
