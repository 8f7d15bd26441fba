import { eventIdFromKey, newEventId, TelemetryEvent } from '../../event-log/event';
import { Metadata } from './intake/submission-metadata';

export type SubmissionErrorType = 'uri' | 'too_large' | 'decompress' | 'json' | 'schema' | 'schema_missing' | 'duplicate';

export type DocumentAcceptedData = {
  uri: string;
  namespace: string;
  doctype: string;
  version: string;
  documentId: string;
  metadata: Metadata;
  /** The original bytes as received (before decompression), so projections can be replayed. */
  payloadBase64: string;
};
export type DocumentAccepted = TelemetryEvent<'submissions.document.accepted', DocumentAcceptedData, 1>;

export type DocumentRejectedData = {
  uri: string;
  namespace: string | null;
  doctype: string | null;
  version: string | null;
  documentId: string | null;
  errorType: SubmissionErrorType;
  errorMessage: string;
  metadata: Metadata;
  /** Absent for too_large, duplicate and URI rejections (metadata only, spec submissions-and-nodes.md §A.8). */
  payloadBase64: string | null;
};
export type DocumentRejected = TelemetryEvent<'submissions.document.rejected', DocumentRejectedData, 1>;

export type SubmissionEvent = DocumentAccepted | DocumentRejected;

/** The dedupe key is the full URI path (spec submissions-and-nodes.md §A.6): the log refuses a second event with this id. */
export function submissionEventId(path: string): string {
  return eventIdFromKey('submissions.uri', path);
}

export function documentAccepted(data: DocumentAcceptedData, receivedAt: string): DocumentAccepted {
  return {
    id: submissionEventId(data.uri),
    type: 'submissions.document.accepted',
    version: 1,
    stream: 'submissions.documents',
    source: 'submissions',
    key: data.documentId,
    receivedAt,
    data,
  };
}

/** `deduped`: the rejection consumes the URI's dedupe key (a decoded document); metadata-only records do not. */
export function documentRejected(data: DocumentRejectedData, receivedAt: string, deduped: boolean): DocumentRejected {
  return {
    id: deduped ? submissionEventId(data.uri) : newEventId(),
    type: 'submissions.document.rejected',
    version: 1,
    stream: 'submissions.errors',
    source: 'submissions',
    key: data.documentId,
    receivedAt,
    data,
  };
}
