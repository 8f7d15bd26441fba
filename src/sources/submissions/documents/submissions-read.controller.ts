import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { InvalidInput } from '../../../common/errors';
import { SubmissionSchemaRegistry } from '../intake/schema-registry';
import { countSeries, parseCountsQuery } from './submission-counts';
import { parseFilter, SubmissionsRepository } from './submissions.repository';
import { RequiresRole } from '../../../auth/roles';

const NAME = /^[A-Za-z0-9._-]{1,64}$/;

/** Read API of spec submissions-and-nodes.md §A.9 (protected: it exposes submitted data). */
@ApiTags('submissions')
@ApiBearerAuth()
@RequiresRole('viewer')
@Controller('api/submissions')
export class SubmissionsReadController {
  constructor(
    private readonly repository: SubmissionsRepository,
    private readonly schemas: SubmissionSchemaRegistry,
  ) {}

  @Get('documents')
  @ApiOkResponse({ description: '{"count", "items": [{document_id, namespace, doctype, version, submission_timestamp, metadata, payload}]}' })
  documents(@Query() query: Record<string, unknown>) {
    return this.repository.documents(parseFilter(query, false));
  }

  @Get('errors')
  @ApiOkResponse({ description: '{"count", "items": [{received_at, uri, document_id, error_type, error_message, payload_base64, metadata}]}' })
  errors(@Query() query: Record<string, unknown>) {
    return this.repository.errors(parseFilter(query, true));
  }

  @Get('stats')
  @ApiOkResponse({ description: '{"accepted", "duplicates", "errors": {"<error_type>": n}}' })
  stats(@Query() query: Record<string, unknown>) {
    for (const key of Object.keys(query)) if (key !== 'namespace') throw new InvalidInput(`${key} is not a known parameter`);
    const namespace = query.namespace;
    if (namespace !== undefined && (typeof namespace !== 'string' || !NAME.test(namespace))) throw new InvalidInput('namespace is invalid');
    return this.repository.stats((namespace as string | undefined)?.toLowerCase());
  }

  @Get('counts')
  @ApiOkResponse({ description: '{"bucket", "hours", "series": [{"namespace", "points": [[bucket ISO time, accepted documents]]}]} (console chart)' })
  async counts(@Query() query: Record<string, unknown>) {
    const { bucket, hours } = parseCountsQuery(query);
    return { bucket, hours, series: countSeries(await this.repository.counts(bucket, hours)) };
  }

  @Get('schemas')
  @ApiOkResponse({ description: 'registered JSON Schemas: [{namespace, doctype, version, file}]' })
  listSchemas() {
    return this.schemas.list();
  }
}
