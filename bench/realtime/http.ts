import http from 'node:http';

// A small JSON client over node:http with keep-alive, so 200 sends/s reuse a
// handful of sockets instead of opening one per message (as a real client would).

export interface HttpResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  // biome-ignore lint/suspicious/noExplicitAny: response shapes are checked by the caller
  body: any;
}

export interface Auth {
  bearer?: string;
  cookie?: string;
}

export class HttpClient {
  private readonly agent: http.Agent;
  private readonly base: URL;

  constructor(baseUrl: string, maxSockets = 64) {
    this.base = new URL(baseUrl);
    this.agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  request(method: string, path: string, auth: Auth = {}, body?: unknown): Promise<HttpResult> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    if (auth.bearer) headers.authorization = `Bearer ${auth.bearer}`;
    if (auth.cookie) headers.cookie = auth.cookie;
    return new Promise((resolve, reject) => {
      const req = http.request(
        { agent: this.agent, host: this.base.hostname, port: this.base.port, method, path, headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : null;
            } catch {
              // Not JSON: keep the text for the error message.
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /** Throws with the status and error code unless the response has one of the expected statuses. */
  async expect(
    expected: number[],
    method: string,
    path: string,
    auth: Auth = {},
    body?: unknown,
  ): Promise<HttpResult> {
    const res = await this.request(method, path, auth, body);
    if (!expected.includes(res.status)) {
      const code = res.body?.error?.code ?? '';
      throw new Error(`${method} ${path} answered ${res.status} ${code}`);
    }
    return res;
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function inParallel<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
