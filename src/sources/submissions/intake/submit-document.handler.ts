import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EventLog } from '../../../event-log/event-log';
import { Metrics } from '../../../metrics/metrics';
import { decodePayload } from './payload-decoding';
import { SubmissionSchemaRegistry } from './schema-registry';
import { clientAddress } from '../../../common/client-address';
import { GEO_LOOKUP, GeoFields, GeoLookup } from './geoip';
import { buildMetadata, headerValue, oversizeAttribute } from './submission-metadata';
import { DocumentRejectedData, documentAccepted, documentRejected, SubmissionErrorType } from '../submission.events';
import { SUBMISSIONS_CONFIG, SubmissionsConfig } from '../submissions.config';
import { parseSubmitUri, SubmitUri } from './submit-uri';
import { SubmitDocument, SubmitOutcome } from './submit-document.command';

const OK: SubmitOutcome = { status: 200 };

/**
 * Receive → dedupe → decode → validate, synchronously (spec submissions-and-nodes.md §A.1; allowed by submissions-and-nodes.md §A.6's DECISION). Every
 * submission ends as exactly one event: accepted, rejected (with the original bytes), or a metadata-only
 * rejection (URI, size, duplicate). The answer is given only once that event is durable.
 */
@CommandHandler(SubmitDocument)
export class SubmitDocumentHandler implements ICommandHandler<SubmitDocument> {
  private readonly submissions;
  private readonly duplicates;

  constructor(
    private readonly log: EventLog,
    private readonly schemas: SubmissionSchemaRegistry,
    @Inject(SUBMISSIONS_CONFIG) private readonly config: SubmissionsConfig,
    @Inject(GEO_LOOKUP) private readonly geo: GeoLookup,
    metrics: Metrics,
  ) {
    this.submissions = metrics.counter('telemetry_submissions_total', 'Generic submissions by outcome', ['outcome']);
    this.duplicates = metrics.counter('telemetry_submission_duplicates_total', 'Generic submissions refused as duplicates of an earlier URI');
  }

  async execute(command: SubmitDocument): Promise<SubmitOutcome> {
    const { path, args, headers, receivedAt } = command;
    const parsed = parseSubmitUri(path);
    if (!parsed.ok) {
      const metadata = buildMetadata({ receivedAt, headers, args, geo: this.geoOf(command) });
      await this.reject(command, { ...parsed.partial, errorType: 'uri', errorMessage: parsed.message, metadata }, null, false);
      // a too-long path is answered like an oversize body in legacy mode (2013 server: 202, submissions-and-nodes.md §A.2/§A.4)
      if (parsed.status === 414 && this.config.oversizeStatus === 202) return { status: 202, message: 'Server will discard submission' };
      return { status: parsed.status, message: parsed.message };
    }
    const uri = parsed.uri;
    const tooLongAttribute = oversizeAttribute(headers, args);
    if (tooLongAttribute) {
      const metadata = buildMetadata({ receivedAt, headers, args, geo: this.geoOf(command), uri });
      await this.reject(command, { ...uriFields(uri), errorType: 'too_large', errorMessage: `header too large: ${tooLongAttribute}`, metadata }, null, false);
      return { status: 431, message: 'header too large' };
    }
    if (command.oversizeBytes !== undefined || command.body === undefined || command.body.length > this.config.maxBodyBytes) {
      const size = command.oversizeBytes ?? command.body?.length ?? 0;
      const metadata = buildMetadata({ receivedAt, headers, args, geo: this.geoOf(command), uri });
      const errorMessage = `body of ${size} bytes is over the ${this.config.maxBodyBytes}-byte limit`;
      await this.reject(command, { ...uriFields(uri), errorType: 'too_large', errorMessage, metadata }, null, false);
      return this.config.oversizeStatus === 202
        ? { status: 202, message: 'Server will discard submission' }
        : { status: 413, message: errorMessage };
    }
    return this.decodeAndAppend(command, uri, command.body);
  }

  private async decodeAndAppend(command: SubmitDocument, uri: SubmitUri, body: Buffer): Promise<SubmitOutcome> {
    const { path, args, headers, receivedAt } = command;
    const decoded = decodePayload(body, this.config.maxDecompressedBytes);
    const bodyVersion = decoded.ok ? versionFromBody(decoded.document) : undefined;
    const version = uri.form === 'generic' ? uri.version : bodyVersion;
    const metadata = buildMetadata({ receivedAt, headers, args, geo: this.geoOf(command), uri, documentVersion: version, gzip: decoded.gzip });
    const base = { ...uriFields(uri), version: version ?? null, metadata };
    let failure: { errorType: SubmissionErrorType; errorMessage: string } | undefined;
    if (!decoded.ok) failure = { errorType: decoded.errorType, errorMessage: decoded.message };
    else if (version === undefined) failure = { errorType: 'schema_missing', errorMessage: 'telemetry document has no version field' };
    else {
      const result = this.schemas.validate({ namespace: uri.namespace, doctype: uri.doctype, version }, decoded.document);
      if (result.outcome === 'missing') failure = { errorType: 'schema_missing', errorMessage: `no schema for ${uri.namespace}/${uri.doctype}/${version}` };
      else if (result.outcome === 'invalid') failure = { errorType: 'schema', errorMessage: result.message };
    }
    const payloadBase64 = body.toString('base64');
    const event = failure
      ? documentRejected({ uri: path, ...base, ...failure, payloadBase64 }, receivedAt, true)
      : documentAccepted({ uri: path, namespace: uri.namespace, doctype: uri.doctype, version: version!, documentId: uri.docid, metadata, payloadBase64 }, receivedAt);
    const { appended } = await this.log.appendOne(event);
    if (appended) {
      this.submissions.inc({ outcome: failure ? failure.errorType : 'accepted' });
      return OK;
    }
    this.duplicates.inc();
    await this.reject(command, { ...base, errorType: 'duplicate', errorMessage: `duplicate of an earlier submission to ${path}`, metadata }, null, false);
    return { ...OK, duplicate: true };
  }

  /** Geo from the client address (trusted-proxy rule); the address itself goes no further (submissions-and-nodes.md §A.7). */
  private geoOf(command: SubmitDocument): GeoFields | undefined {
    const forwarded = headerValue(command.headers, 'x-forwarded-for');
    return this.geo.lookup(clientAddress(command.socketAddress, forwarded, this.config.trustedProxies));
  }

  private async reject(
    command: SubmitDocument,
    fields: Partial<Omit<DocumentRejectedData, 'uri' | 'payloadBase64'>> & Pick<DocumentRejectedData, 'errorType' | 'errorMessage' | 'metadata'>,
    payloadBase64: string | null,
    deduped: boolean,
  ): Promise<void> {
    const data: DocumentRejectedData = {
      uri: command.path,
      namespace: fields.namespace ?? null,
      doctype: fields.doctype ?? null,
      version: fields.version ?? null,
      documentId: fields.documentId ?? null,
      errorType: fields.errorType,
      errorMessage: fields.errorMessage,
      metadata: fields.metadata,
      payloadBase64,
    };
    await this.log.appendOne(documentRejected(data, command.receivedAt, deduped));
    this.submissions.inc({ outcome: fields.errorType });
  }
}

function uriFields(uri: SubmitUri): { namespace: string; doctype: string; documentId: string; version?: string } {
  return { namespace: uri.namespace, doctype: uri.doctype, documentId: uri.docid, ...(uri.form === 'generic' ? { version: uri.version } : {}) };
}

/** Telemetry-form documents carry their version in the body (spec submissions-and-nodes.md §A.2). */
function versionFromBody(document: unknown): string | undefined {
  if (!document || typeof document !== 'object' || Array.isArray(document)) return undefined;
  const v = (document as Record<string, unknown>).version;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return String(v);
  if (typeof v === 'string' && /^[0-9]{1,9}$/.test(v)) return v;
  return undefined;
}
