import { randomUUID } from 'node:crypto';
import { connect, Socket } from 'node:net';
import { startTestApp, TestApp } from '../../support/app';
import { listen } from '../../support/browser';

const MiB = 1024 * 1024;

/**
 * Limits that hold before authentication: 1 MiB bodies on every route except the ingest routes that need
 * more (answered 413 from the declared length, before the body is read), and a cap on open connections.
 */
describe('body limits per route and the connection cap', () => {
  let t: TestApp;
  let port: number;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    t = await startTestApp({ HTTP_MAX_CONNECTIONS: '3', SUBMIT_MAX_BODY_BYTES: String(3 * MiB) });
    port = Number(new URL(await listen(t)).port);
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await t?.close();
  });

  const open = () =>
    new Promise<Socket>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(socket));
      socket.once('error', reject);
      sockets.push(socket);
    });
  /** Sends only the request head (no body byte) and collects what comes back until the server answers or closes. */
  const headOnly = async (path: string, contentLength: number, headers: Record<string, string> = {}) => {
    const socket = await open();
    const head = [`POST ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Content-Type: application/json', `Content-Length: ${contentLength}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
    socket.write(`${head.join('\r\n')}\r\n\r\n`);
    return new Promise<string>((resolve) => {
      let answer = '';
      const timer = setTimeout(() => (socket.destroy(), resolve(answer)), 3000);
      socket.on('data', (chunk) => {
        answer += chunk.toString('latin1');
        if (/\r\n\r\n[\s\S]*\}/.test(answer)) (clearTimeout(timer), socket.destroy(), resolve(answer));
      });
      socket.on('close', () => (clearTimeout(timer), resolve(answer)));
    });
  };

  it('answers 413 to a 2 MiB body on an admin route from the declared length, without waiting for (reading) the body', async () => {
    const started = Date.now();
    const answer = await headOnly('/api/alerts/channels', 2 * MiB, { authorization: t.auth.authorization });
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(Date.now() - started).toBeLessThan(3000); // no body byte was ever sent
  });

  it('answers 413 to an unauthenticated 2 MiB body on a console form route too, before the credential check', async () => {
    expect(await headOnly('/console/alerts/channels', 2 * MiB)).toMatch(/^HTTP\/1\.1 413 /);
  });

  it('takes up to 1 MiB on an admin route (the handler judges it)', async () => {
    const body = JSON.stringify({ name: 'x'.repeat(MiB - 100), kind: 'webhook', target: 'https://hooks.example.com/x' });
    const res = await t.app.inject({ method: 'POST', url: '/api/alerts/channels', headers: { ...t.auth, 'content-type': 'application/json' }, payload: body });
    expect(res.statusCode).toBe(400); // the schema's name length, not the body limit
    expect(res.json().message).toContain('name');
  });

  it('still takes the Fuel collector\'s documented 32 MiB on its ingest routes', async () => {
    const pad = 32 * MiB - 40;
    const body = `{"action_logs": [], "pad": "${'a'.repeat(pad)}"}`;
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(32 * MiB);
    expect(Buffer.byteLength(body)).toBeGreaterThan(31 * MiB);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/action_logs/', headers: { 'content-type': 'application/json' }, payload: body });
    expect(res.statusCode).not.toBe(413);
    expect(res.json()).toHaveProperty('status'); // the Fuel envelope: the handler read and judged the whole body
  });

  it('lets /submit take its own configured maximum (SUBMIT_MAX_BODY_BYTES = 3 MiB here) beyond 1 MiB', async () => {
    const url = `/submit/test/test/1/${randomUUID()}`;
    const res = await t.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: `{"pad": "${'a'.repeat(2 * MiB)}"}` });
    expect([res.statusCode, res.body]).toEqual([200, '']);
  });

  it('closes connections beyond HTTP_MAX_CONNECTIONS on accept, and serves again once one is closed', async () => {
    const held = [await open(), await open(), await open()];
    const extra = await open();
    const closed = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 3000);
      extra.on('close', () => (clearTimeout(timer), resolve(true)));
      extra.on('error', () => undefined);
      extra.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    });
    expect(closed).toBe(true);
    for (const s of held) s.destroy();
    await new Promise((r) => setTimeout(r, 100));
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
  });
});
