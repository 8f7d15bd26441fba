import { storableJsonText, storableText } from '../../../common/storable-json';
import { insertOnce, Projector, RowWrite } from '../../../event-log/projector';
import { decodePayload } from '../intake/payload-decoding';
import { SubmissionEvent } from '../submission.events';

/** No size cap on replay: the limit was applied when the event was accepted. */
const REPLAY_DECOMPRESS_LIMIT = 1024 * 1024 * 1024;

/** Accepted documents → `submission_documents` (payload decoded again from the kept original bytes). */
export const submissionDocumentsProjector: Projector<SubmissionEvent> = {
  name: 'submission-documents',
  streams: ['submissions.documents'],
  version: 1,
  eventTypes: ['submissions.document.accepted'],
  tables: ['submission_documents'],
  project(event): readonly RowWrite[] {
    if (event.type !== 'submissions.document.accepted') return [];
    const d = event.data;
    const decoded = decodePayload(Buffer.from(d.payloadBase64, 'base64'), REPLAY_DECOMPRESS_LIMIT);
    const payload = decoded.ok ? decoded.document : null;
    return [
      insertOnce(
        'submission_documents',
        {
          ...submissionColumns(event),
          metadata: storableJsonText(d.metadata),
          payload: JSON.stringify(payload),
        },
        ['event_id', 'received_at'],
      ),
    ];
  },
};

/** Every rejection (including URI, size and duplicate records) → `submission_errors` (spec submissions-and-nodes.md §A.8). */
export const submissionErrorsProjector: Projector<SubmissionEvent> = {
  name: 'submission-errors',
  streams: ['submissions.errors'],
  version: 1,
  eventTypes: ['submissions.document.rejected'],
  tables: ['submission_errors'],
  project(event): readonly RowWrite[] {
    if (event.type !== 'submissions.document.rejected') return [];
    const d = event.data;
    return [
      insertOnce(
        'submission_errors',
        {
          ...submissionColumns(event),
          error_type: d.errorType,
          error_message: storableText(d.errorMessage),
          payload_base64: d.payloadBase64,
          metadata: storableJsonText(d.metadata),
        },
        ['event_id', 'received_at'],
      ),
    ];
  },
};

/**
 * The columns both submission tables share: the event's identity and the document's URI parts. A rejected
 * request's URI is whatever the client sent (`/submit/%00/…` decodes to a NUL), so its text is made storable.
 */
function submissionColumns(event: SubmissionEvent) {
  const d = event.data;
  const text = (v: string | null | undefined) => (typeof v === 'string' ? storableText(v) : v);
  return {
    event_id: event.id,
    received_at: event.receivedAt,
    uri: text(d.uri),
    namespace: text(d.namespace),
    doctype: text(d.doctype),
    version: text(d.version),
    document_id: text(d.documentId),
  };
}
