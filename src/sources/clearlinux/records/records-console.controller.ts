import { Readable } from 'node:stream';
import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotFound } from '../../../common/errors';
import { renderPage, scriptJson } from '../../../console/render';
import { classificationFilterChoices } from '../record/classification';
import { CSV_HEADER, CSV_MAX_ROWS, csvLines, parseConsoleQuery } from './records-console.filter';
import { ConsoleRecordsFilter, RecordsRepository } from './records.repository';
import type { RecordView } from '../record/record-view';
import { MachineIds, showsRawMachineIds } from '../machine-ids/machine-ids';
import { queryOf, queryString } from '../../../common/http-input';
import { RequiresRole } from '../../../auth/roles';

export const RECORDS_CONSOLE_PATH = '/console/clearlinux/records';
const PAYLOAD_PREVIEW = 80;

/** Records view (spec clearlinux.md §8.1): filtered, paginated list; record detail; CSV export of the filtered set. */
@ApiExcludeController()
@RequiresRole('viewer')
@Controller('console/clearlinux')
export class RecordsConsoleController {
  constructor(
    private readonly records: RecordsRepository,
    private readonly machineIds: MachineIds,
  ) {}

  @Get('records')
  async list(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const q = parseConsoleQuery(queryOf(request.url));
    const rows = await this.records.consoleRecords(q.filter, q.pageSize + 1, (q.page - 1) * q.pageSize);
    const choices = await this.records.filterChoices();
    const now = Date.now();
    const model = {
      nav: 'clearlinux-records',
      values: q.values,
      page: q.page,
      pageSize: q.pageSize,
      rows: rows.slice(0, q.pageSize).map((r) => rowModel(r, now)),
      prevUrl: q.page > 1 ? RECORDS_CONSOLE_PATH + queryString(q.values, { page: q.page - 1, page_size: q.pageSize }) : null,
      nextUrl: rows.length > q.pageSize ? RECORDS_CONSOLE_PATH + queryString(q.values, { page: q.page + 1, page_size: q.pageSize }) : null,
      csvUrl: `${RECORDS_CONSOLE_PATH}.csv${queryString(q.values)}`,
      classifications: classificationFilterChoices(choices.classifications).map((c) => ({ value: c, selected: c === q.values.classification })),
      osNames: choices.osNames.map((o) => ({ value: o, selected: o === q.values.os_name })),
      builds: unique(choices.buildsPerOs.map((b) => b.build)).map((b) => ({ value: b, selected: b === q.values.build })),
      buildsPerOs: scriptJson(groupBuilds(choices.buildsPerOs)),
      severities: ['1', '2', '3', '4'].map((s) => ({ value: s, selected: s === q.values.severity })),
      sources: ['internal', 'external'].map((s) => ({ value: s, selected: s === q.values.data_source })),
    };
    return renderPage(request, reply, { page: 'pages/clearlinux/records.hbs', partial: 'partials/_clr_records_table.hbs', title: 'Records' }, model);
  }

  @RequiresRole('analyst')
  @Get('records.csv')
  async csv(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const q = parseConsoleQuery(queryOf(request.url));
    await this.records.checkRegexes(q.filter);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="records.csv"')
      .send(Readable.from(this.csvLines(q.filter, this.machineIds.shownAs(showsRawMachineIds(request)))));
  }

  @Get('records/:id')
  async detail(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const record = /^[0-9]{1,18}$/.test(id) ? await this.records.byId(id) : undefined;
    if (!record) throw new NotFound(`record ${id} not found`, 'not_found');
    return renderPage(request, reply, { page: 'pages/clearlinux/record.hbs', title: `Record ${record.id}` }, {
      nav: 'clearlinux-records',
      record,
      fields: Object.entries(record)
        .filter(([k]) => k !== 'payload')
        .map(([name, value]) => ({ name, value: String(value) })),
    });
  }

  /** Streams in pages of 1000 by id, never holding a connection between pages (embedded mode has one). */
  private async *csvLines(filter: ConsoleRecordsFilter, machineId: (raw: string) => string): AsyncGenerator<string> {
    yield CSV_HEADER;
    let beforeId: number | undefined;
    let sent = 0;
    while (sent < CSV_MAX_ROWS) {
      const page = await this.records.consoleRecords(filter, Math.min(1000, CSV_MAX_ROWS - sent), 0, beforeId);
      if (page.length > 0) yield csvLines(page.map((r) => [r.id, r.external, r.ts_reception, r.severity, r.classification, r.build, machineId(r.machine_id), r.payload]));
      sent += page.length;
      if (page.length < 1000) return;
      beforeId = page[page.length - 1].id;
    }
  }
}

function rowModel(r: RecordView, now: number) {
  return {
    ...r,
    source: r.external ? 'external' : 'internal',
    when: since(now - Date.parse(r.ts_reception.replace(' UTC', 'Z').replace(' ', 'T'))),
    preview: r.payload.length > PAYLOAD_PREVIEW ? `${r.payload.slice(0, PAYLOAD_PREVIEW)}…` : r.payload,
  };
}

function since(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function groupBuilds(rows: { os_name: string; build: string }[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const r of rows) (out[r.os_name] ??= []).push(r.build);
  return out;
}
