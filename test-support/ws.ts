import type WebSocket from 'ws';

// biome-ignore lint/suspicious/noExplicitAny: frames are checked by each test
export type Frame = any;

/** A WebSocket peer that records every frame and lets a test wait for the next matching one. */
export class WsClient {
  readonly frames: Frame[] = [];
  private cursor = 0;
  private waiters: (() => void)[] = [];
  closeCode: number | null = null;
  closeReason = '';
  private closedPromise: Promise<number>;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()));
      this.wake();
    });
    this.closedPromise = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.closeCode = code;
        this.closeReason = reason.toString();
        this.wake();
        resolve(code);
      });
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('unexpected-response', (_req, res) =>
        reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode })),
      );
      this.ws.once('error', reject);
    });
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The next frame (after those already taken) matching `pred`; frames skipped over are consumed. */
  async next(pred: (f: Frame) => boolean = () => true, timeoutMs = 5000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.cursor < this.frames.length) {
        const f = this.frames[this.cursor++];
        if (pred(f)) return f;
      }
      if (this.closeCode !== null) throw new Error(`socket closed (${this.closeCode}) while waiting`);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`timed out waiting for a frame; got: ${JSON.stringify(this.frames.slice(-5))}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Channel events received so far (all of them, not only unconsumed). */
  events(channelId?: string): Frame[] {
    return this.frames.filter((f) => f.type === 'event' && (!channelId || f.channelId === channelId));
  }

  /** Waits until no frame arrives for `quietMs` (to assert that nothing more is sent). */
  async settle(quietMs = 150): Promise<void> {
    let n = -1;
    while (n !== this.frames.length) {
      n = this.frames.length;
      await new Promise((r) => setTimeout(r, quietMs));
    }
  }

  closed(): Promise<number> {
    return this.closedPromise;
  }

  close(): void {
    this.ws.close();
  }
}
