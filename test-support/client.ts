import WebSocket from 'ws';
import { WsClient } from './ws.ts';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by each test
export type Body = any;

export interface ApiResponse {
  status: number;
  body: Body;
  headers: Headers;
}

/**
 * A person using the HTTP API: keeps the session cookie and sends the CSRF
 * token on writes, as the web client does. Or a bearer token, as bots do.
 */
export class ApiClient {
  cookie: string | null = null;
  csrfToken: string | null = null;
  bearer: string | null = null;
  userId: string | null = null;
  /** Sign-in details of accounts made by TestServer.user() (browser tests sign in with them). */
  email: string | null = null;
  password: string | null = null;

  constructor(readonly baseUrl: string) {}

  /** Takes the session from a login/setup response. */
  adopt(res: ApiResponse): this {
    const set = res.headers.getSetCookie().find((c) => c.startsWith('enclave_session='));
    if (set) this.cookie = set.split(';')[0]!;
    this.csrfToken = res.body.csrfToken ?? this.csrfToken;
    this.userId = res.body.user?.id ?? this.userId;
    return this;
  }

  withToken(token: string, userId?: string): ApiClient {
    const c = new ApiClient(this.baseUrl);
    c.bearer = token;
    c.userId = userId ?? null;
    return c;
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    const h: Record<string, string> = { ...extra };
    if (this.bearer) h.authorization = `Bearer ${this.bearer}`;
    if (this.cookie) h.cookie = this.cookie;
    return h;
  }

  async request(
    method: string,
    path: string,
    body?: unknown,
    extra: Record<string, string> = {},
  ): Promise<ApiResponse> {
    const headers = this.headers(extra);
    if (method !== 'GET' && this.csrfToken && !('x-csrf-token' in extra))
      headers['x-csrf-token'] = this.csrfToken;
    let payload: string | undefined;
    if (body !== undefined) {
      headers['content-type'] ??= 'application/json';
      payload = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const res = await fetch(this.baseUrl + path, { method, headers, body: payload });
    const text = await res.text();
    let parsed: Body = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }

  get(path: string) {
    return this.request('GET', path);
  }
  post(path: string, body?: unknown, extra?: Record<string, string>) {
    return this.request('POST', path, body, extra);
  }
  patch(path: string, body?: unknown) {
    return this.request('PATCH', path, body);
  }
  put(path: string, body?: unknown) {
    return this.request('PUT', path, body);
  }
  delete(path: string) {
    return this.request('DELETE', path);
  }

  /** Opens the realtime connection, waits for `hello`, and sends `resume` with the given cursors. */
  async connect(cursors: Record<string, number> | null = {}, origin?: string): Promise<WsClient> {
    const url = `${this.baseUrl.replace(/^http/, 'ws')}/api/v1/ws`;
    const headers = this.headers(origin ? { origin } : {});
    const ws = new WebSocket(url, { headers });
    const client = new WsClient(ws);
    await client.opened();
    await client.next((f) => f.type === 'hello');
    if (cursors) {
      client.send({ type: 'resume', cursors });
      await client.next((f) => f.type === 'resumed');
    }
    return client;
  }
}
