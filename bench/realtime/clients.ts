import WebSocket from 'ws';
import { inParallel } from './http.ts';

// WebSocket clients that speak the real protocol (packages/protocol/src/realtime.ts):
// upgrade with a bearer token, wait for `hello`, send `resume` with no cursors
// (start live), wait for `resumed`. After that every frame goes to `onFrame`.

const WS_PATH = '/api/v1/ws';
/** Sockets the bench is closing itself: their close is not a lost subscriber. */
const closingByUs = new WeakSet<WebSocket>();

export interface BenchSocket {
  ws: WebSocket;
  userIndex: number;
}

export interface ConnectOptions {
  baseUrl: string;
  token: string;
  userIndex: number;
  /** Called with each frame's text once the connection is live. */
  onFrame?: (text: string, userIndex: number) => void;
  /** Called if the server closes the connection after it went live (a lost subscriber). */
  onUnexpectedClose?: (code: number, userIndex: number) => void;
  timeoutMs?: number;
}

export function connect(opts: ConnectOptions): Promise<BenchSocket> {
  const url = `${opts.baseUrl.replace(/^http/, 'ws')}${WS_PATH}`;
  // No permessage-deflate: the server does not enable it, and offering it only adds work.
  const ws = new WebSocket(url, {
    headers: { authorization: `Bearer ${opts.token}` },
    perMessageDeflate: false,
  });
  return new Promise((resolve, reject) => {
    let state: 'opening' | 'hello' | 'live' = 'opening';
    const timer = setTimeout(() => fail(new Error('timed out before resumed')), opts.timeoutMs ?? 30_000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      ws.terminate();
      reject(err);
    };
    ws.once('unexpected-response', (_req, res) => fail(new Error(`upgrade refused: ${res.statusCode}`)));
    ws.on('error', (err) => {
      if (state !== 'live') fail(err);
    });
    ws.on('close', (code) => {
      if (state === 'live') {
        if (!closingByUs.has(ws)) opts.onUnexpectedClose?.(code, opts.userIndex);
      } else fail(new Error(`closed with ${code} before resumed`));
    });
    ws.on('message', (data: Buffer) => {
      const text = data.toString('utf8');
      if (state === 'live') {
        opts.onFrame?.(text, opts.userIndex);
        return;
      }
      const frame = JSON.parse(text) as { type: string };
      if (state === 'opening' && frame.type === 'hello') {
        state = 'hello';
        ws.send(JSON.stringify({ type: 'resume', cursors: {} }));
      } else if (state === 'hello' && frame.type === 'resumed') {
        state = 'live';
        clearTimeout(timer);
        resolve({ ws, userIndex: opts.userIndex });
      }
    });
  });
}

/** Opens one live connection per entry, `concurrency` upgrades at a time. */
export function connectAll(
  entries: Omit<ConnectOptions, 'baseUrl'>[],
  baseUrl: string,
  concurrency = 50,
): Promise<BenchSocket[]> {
  return inParallel(entries, concurrency, (e) => connect({ ...e, baseUrl }));
}

/** Closes every socket and waits for the close handshakes (bounded). */
export async function closeAll(sockets: BenchSocket[], timeoutMs = 5000): Promise<void> {
  await Promise.all(
    sockets.map(
      ({ ws }) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === WebSocket.CLOSED) return resolve();
          const t = setTimeout(() => {
            ws.terminate();
            resolve();
          }, timeoutMs);
          ws.once('close', () => {
            clearTimeout(t);
            resolve();
          });
          closingByUs.add(ws);
          ws.close(1000, 'bench done');
        }),
    ),
  );
}
