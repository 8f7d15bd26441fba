import { PassThrough, Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SubmitOutcome } from './submit-document.command';

export function isSubmitWrite(req: FastifyRequest): boolean {
  return (req.method === 'POST' || req.method === 'PUT') && req.url.startsWith('/submit/');
}

/**
 * The 1 MiB wire limit (spec submissions-and-nodes.md §A.4) is enforced before fastify buffers the body (its global limit is
 * 34 MiB): a declared Content-Length over the limit is answered from `onRequest` without reading the
 * body; a chunked body is cut at limit + 1 bytes (the handler then sees it is over and answers 413/202;
 * the rest of the upload is read and discarded, never buffered).
 */
export function installSubmitLimits(
  fastify: FastifyInstance,
  maxBodyBytes: number,
  onDeclaredOversize: (req: FastifyRequest, declared: number) => Promise<SubmitOutcome>,
  send: (reply: FastifyReply, outcome: SubmitOutcome) => void,
): void {
  fastify.addHook('onRequest', async (req, reply) => {
    if (!isSubmitWrite(req)) return;
    const declared = req.headers['content-length'];
    if (declared === undefined || !/^\d+$/.test(declared) || Number(declared) <= maxBodyBytes) return;
    try {
      send(reply, await onDeclaredOversize(req, Number(declared)));
    } catch (err) {
      const status = (err as { status?: number }).status ?? 500;
      if (status === 503) void reply.header('retry-after', '5');
      send(reply, { status, message: status === 500 ? 'internal error' : (err as Error).message });
    }
    return reply;
  });
  fastify.addHook('preParsing', async (req, _reply, payload) => {
    if (!isSubmitWrite(req) || req.headers['content-length'] !== undefined) return payload;
    return capStream(payload, maxBodyBytes + 1);
  });
}

function capStream(source: Readable, cap: number): Readable {
  const out = new PassThrough();
  let seen = 0;
  source.on('data', (chunk: Buffer) => {
    if (seen >= cap) return;
    const take = chunk.subarray(0, cap - seen);
    seen += take.length;
    out.write(take);
    if (seen >= cap) out.end();
  });
  source.on('end', () => out.end());
  source.on('error', (err) => out.destroy(err));
  return out;
}
