import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequiresRole } from '../../../auth/roles';
import { InvalidInput } from '../../../common/errors';
import { SupportService } from './support.service';

/** The audit trail of customer contacts read (support API and console), for admins. */
@ApiTags('admin')
@ApiBearerAuth()
@RequiresRole('admin')
@Controller('api/admin/contact-reads')
export class ContactReadsController {
  constructor(private readonly support: SupportService) {}

  @Get()
  @ApiOperation({ summary: 'Who read which failure report\'s contact, and when; newest first (report=<uuid>, limit ≤ 1000, default 100)' })
  @ApiOkResponse({ description: '{"contact_reads": [{report_uuid, read_by, subject_kind, subject_id, read_at}]}' })
  async list(@Query('report') report?: string, @Query('limit') limit?: string) {
    const n = limit === undefined ? 100 : Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InvalidInput('limit: must be a whole number from 1 to 1000', 'query');
    if (report !== undefined && !/^[0-9a-f-]{36}$/i.test(report)) throw new InvalidInput('report: must be a report uuid', 'query');
    return { contact_reads: await this.support.contactReadsOf(report ?? null, n) };
  }
}
