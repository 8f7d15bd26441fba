import { Migration } from '@mikro-orm/migrations';

/**
 * Projector names are kebab-case like every other (`clearlinux-records`, `fuel-oswl`); the two
 * submissions projectors were registered as `submission_documents` / `submission_errors`. Their
 * checkpoints move with the rename so neither replays the log from the start.
 */
export class Migration20261123153000ProjectorNames extends Migration {
  override async up(): Promise<void> {
    this.addSql(`UPDATE projector_checkpoints SET projector = 'submission-documents' WHERE projector = 'submission_documents';`);
    this.addSql(`UPDATE projector_checkpoints SET projector = 'submission-errors' WHERE projector = 'submission_errors';`);
  }
}
