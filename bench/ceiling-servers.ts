import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

/**
 * The two references the platform's ingest is measured against: a bare Node `http` server and a bare
 * fastify route, each reading the whole body and answering 201 to any POST. They run in a child process
 * of their own so their CPU can be read from /proc like any other process's.
 */
export type CeilingKind = 'bare-http' | 'bare-fastify';

export type CeilingServer = Readonly<{ url: string; pid: number; stop: () => Promise<void> }>;

export function startCeilingServer(kind: CeilingKind): Promise<CeilingServer> {
  const child = fork(__filename, [kind], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${kind} exited with ${code}`)));
    child.once('message', (m: { port: number }) =>
      resolve({
        url: `http://127.0.0.1:${m.port}`,
        pid: child.pid!,
        stop: () =>
          new Promise<void>((done) => {
            child.removeAllListeners('exit');
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      }),
    );
  });
}

/** utime + stime of a process in milliseconds (USER_HZ is 100 on Linux). */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // the command name (field 2) may hold spaces: count fields after its closing parenthesis
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function serve(kind: CeilingKind): Promise<number> {
  if (kind === 'bare-http') {
    const server = createServer((req, res) => {
      req.on('data', () => undefined);
      req.on('end', () => {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return (server.address() as { port: number }).port;
  }
  const app = Fastify({ bodyLimit: 64 * 1024 * 1024 });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.post('/*', (_req, reply) => reply.code(201).send({}));
  await app.listen({ port: 0, host: '127.0.0.1' });
  return (app.server.address() as { port: number }).port;
}

if (require.main === module) {
  const kind = process.argv[2] as CeilingKind;
  serve(kind).then(
    (port) => process.send!({ port }),
    (err: Error) => {
      process.stderr.write(`${err.stack}\n`);
      process.exit(1);
    },
  );
  process.once('SIGTERM', () => process.exit(0));
}
