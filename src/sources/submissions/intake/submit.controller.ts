import { All, Controller, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../../auth/admin.guard';
import { BodyLimit, INGEST_BODY_LIMIT_BYTES } from '../../../common/body-limit';
import { SubmitDocument, SubmitOutcome } from './submit-document.command';

/**
 * `POST`/`PUT /submit/...` (spec submissions-and-nodes.md §A.3): HTTP only — method and length checks, then the command decides.
 * The answer (200 empty, or a status with `{"message"}`) is sent only after the submission is durable.
 */
@ApiTags('submissions')
@Controller('submit')
export class SubmitController {
  constructor(private readonly commands: CommandBus) {}

  @Public()
  @BodyLimit(INGEST_BODY_LIMIT_BYTES)
  @All('*')
  // One wildcard route for every method: OpenAPI cannot describe it, so the document carries the path forms
  // clients post to instead (OPENAPI_EXTRA_PATHS in src/openapi/openapi-answers.ts).
  @ApiExcludeEndpoint()
  async submit(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (req.method !== 'POST' && req.method !== 'PUT') {
      sendOutcome(reply.header('allow', 'POST, PUT'), { status: 405, message: `method ${req.method} not allowed` });
      return;
    }
    if (req.headers['content-length'] === undefined && !/chunked/i.test(String(req.headers['transfer-encoding'] ?? ''))) {
      sendOutcome(reply, { status: 411, message: 'Missing content length' });
      return;
    }
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    sendOutcome(reply, await this.commands.execute(submitCommand(req, body)));
  }
}

export function submitCommand(req: FastifyRequest, body: Buffer | undefined, oversizeBytes?: number): SubmitDocument {
  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  const args = q < 0 ? '' : req.url.slice(q + 1);
  return new SubmitDocument(path, args, req.headers, body, new Date().toISOString(), oversizeBytes, req.socket?.remoteAddress);
}

export function sendOutcome(reply: FastifyReply, outcome: SubmitOutcome): void {
  if (outcome.status === 200) {
    void reply.status(200).header('content-type', 'text/plain; charset=utf-8').send('');
    return;
  }
  void reply
    .status(outcome.status)
    .header('content-type', 'application/json; charset=utf-8')
    .send(JSON.stringify({ message: outcome.message ?? '' }));
}
