import { Controller, Get, Req } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { parseApiRecordsQuery } from './records-api.query';
import { RecordsRepository } from './records.repository';
import { recordsResponseSchema } from '../clearlinux.schemas';
import { queryOf } from '../../../common/http-input';
import { PublicReadRoute, RequiresRole } from '../../../auth/roles';

const PARAMS: [name: string, description: string][] = [
  ['severity', '1–4'],
  ['classification', 'exact DOMAIN/PROBE/REST'],
  ['build', 'exact (quotes removed)'],
  ['machine_id', 'exact, ≤ 32 chars'],
  ['created_in_days', 'received within the last N days (window capped at 30 days; default 30)'],
  ['created_in_sec', 'received within the last N seconds (used when created_in_days is absent)'],
  ['from_id', 'id ≥ N'],
  ['ts_capture', 'captured after this Unix time'],
  ['limit', '1–1000, default 1000'],
];

/** Spec clearlinux.md §9. Open like upstream (clearlinux.md §11: "/api/records stays open by default"). */
@ApiTags('clearlinux')
@RequiresRole('viewer')
@Controller('api/records')
export class RecordsApiController {
  constructor(private readonly records: RecordsRepository) {}

  @PublicReadRoute('api-records')
  @Get()
  @ApiOperation({ summary: 'Records received within the last 30 days, newest id first' })
  @ApiOkResponse({ schema: recordsResponseSchema })
  @ApiBadRequestResponse({ description: '{"message": "<which parameter is invalid>"}' })
  async list(@Req() req: FastifyRequest) {
    return { records: await this.records.apiRecords(parseApiRecordsQuery(queryOf(req.url))) };
  }
}

for (const [name, description] of PARAMS) {
  ApiQuery({ name, required: false, description, type: String })(
    RecordsApiController.prototype,
    'list',
    Object.getOwnPropertyDescriptor(RecordsApiController.prototype, 'list')!,
  );
}
