import WebSocket from 'ws';

/** A websocket to the platform on 127.0.0.1, resolved once the handshake is done. */
export async function openSocket(port: number, path: string): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return ws;
}

/** A normal close (1000), resolved once the server has answered it: every frame sent before it was read. */
export async function closeSocket(ws: WebSocket): Promise<void> {
  await new Promise<void>((resolve) => {
    ws.once('close', () => resolve());
    ws.close(1000);
  });
}
