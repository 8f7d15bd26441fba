import { Migration } from '@mikro-orm/migrations';

/**
 * Clear Linux guilties (spec clearlinux.md §7.5): every crash row references its guilty by id (`guilty_id`, derived
 * from the (function, module) pair, so a regroup keeps ids stable), and `clr_guilty_notes` holds what
 * admins said about a guilty — hidden flag and comment — maintained by the `clearlinux-guilty-notes`
 * projector from `clearlinux.guilty.hidden/unhidden/commented` events. Rows projected before this
 * migration get their id here, computed in SQL exactly as `guiltyId` does.
 */
/** `guiltyId` in SQL, written out here so the migration never changes with the code (a test keeps them equal). */
export const GUILTY_ID_SQL = `left(encode(sha256(convert_to(guilty_function || E'\\n' || guilty_module, 'UTF8')), 'hex'), 16)`;

export class Migration20261123152000ClearlinuxGuilties extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE crashes ADD COLUMN guilty_id text;`);
    this.addSql(`UPDATE crashes SET guilty_id = ${GUILTY_ID_SQL} WHERE guilty_function IS NOT NULL;`);
    this.addSql(`CREATE INDEX crashes_guilty_id ON crashes (guilty_id);`);
    this.addSql(`
      CREATE TABLE clr_guilty_notes (
        guilty_id  text        PRIMARY KEY,
        function   text        NOT NULL,
        module     text        NOT NULL,
        comment    text        CHECK (char_length(comment) <= 80),
        hidden     boolean     NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL
      );`);
    // the top list joins the notes by pair (its rollup has no id column)
    this.addSql(`CREATE UNIQUE INDEX clr_guilty_notes_pair ON clr_guilty_notes (function, module);`);
  }
}
