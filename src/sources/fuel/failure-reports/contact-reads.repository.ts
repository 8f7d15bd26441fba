import { Injectable } from '@nestjs/common';
import { Database } from '../../../database/database';

export type ContactReadRow = Readonly<{ report_uuid: string; read_by: string; subject_kind: string; subject_id: string; read_at: string }>;

/** The audit trail of decrypted customer contacts (migrations/Migration20261204181000_contact_reads). */
@Injectable()
export class ContactReadsRepository {
  constructor(private readonly db: Database) {}

  async record(read: { reportUuid: string; readBy: string; subjectKind: string; subjectId: string }): Promise<void> {
    await this.db.query(`INSERT INTO contact_reads (report_uuid, read_by, subject_kind, subject_id) VALUES ($1, $2, $3, $4)`, [read.reportUuid, read.readBy, read.subjectKind, read.subjectId]);
  }

  /** Newest first; `reportUuid` null = every report. */
  list(reportUuid: string | null, limit: number): Promise<ContactReadRow[]> {
    return this.db.query<ContactReadRow>(
      `SELECT report_uuid, read_by, subject_kind, subject_id, to_char(read_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS read_at
         FROM contact_reads WHERE ($1::text IS NULL OR report_uuid = $1) ORDER BY contact_reads.read_at DESC, id DESC LIMIT $2`,
      [reportUuid, limit],
    );
  }
}
