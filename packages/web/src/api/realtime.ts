import { CLOSE_CODES, type ServerFrame, WS_PATH } from '@enclave/protocol';

// One WebSocket per tab (docs/realtime.md). After `hello` it sends `resume`
// with the last seq it holds per channel, so a reconnect replays exactly what
// was missed (RT rules): no gap, no duplicate. Reconnects back off up to 30 s;
// revoked sessions (4002/4003) do not reconnect.

export type ConnectionState = 'connecting' | 'live' | 'offline' | 'signed-out';
type Listener = (frame: ServerFrame) => void;

export class Realtime {
  private ws: WebSocket | null = null;
  private readonly cursors = new Map<string, number>();
  private readonly listeners = new Set<Listener>();
  private readonly stateListeners = new Set<(s: ConnectionState) => void>();
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  state: ConnectionState = 'connecting';

  start(): void {
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.ws?.close(CLOSE_CODES.NORMAL);
  }

  /** Frames of every kind; returns the unsubscribe. */
  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  onState(fn: (s: ConnectionState) => void): () => void {
    this.stateListeners.add(fn);
    return () => this.stateListeners.delete(fn);
  }

  /** The client holds events of `channelId` up to `seq` (from a fetch or a frame). */
  holds(channelId: string, seq: number): void {
    if ((this.cursors.get(channelId) ?? -1) < seq) this.cursors.set(channelId, seq);
  }

  send(frame: unknown): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  private setState(s: ConnectionState): void {
    this.state = s;
    for (const fn of this.stateListeners) fn(s);
  }

  private open(): void {
    this.setState('connecting');
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${WS_PATH}`;
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.onmessage = (m) => {
      const frame = JSON.parse(String(m.data)) as ServerFrame;
      if (frame.type === 'hello') {
        this.attempt = 0;
        ws.send(JSON.stringify({ type: 'resume', cursors: Object.fromEntries(this.cursors) }));
      } else if (frame.type === 'resumed') {
        this.setState('live');
      } else if (frame.type === 'event') {
        this.holds(frame.channelId, frame.seq);
      }
      // Heartbeats are WebSocket pings: the browser answers them itself.
      for (const fn of this.listeners) fn(frame);
    };
    ws.onclose = (e) => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (
        e.code === CLOSE_CODES.SESSION_REVOKED ||
        e.code === CLOSE_CODES.ACCOUNT_DEACTIVATED ||
        e.code === CLOSE_CODES.AUTH_REQUIRED
      ) {
        this.setState('signed-out');
        return;
      }
      if (this.stopped) return;
      this.setState('offline');
      const delay = Math.min(30_000, 500 * 2 ** this.attempt++) * (0.5 + Math.random() / 2);
      this.timer = setTimeout(() => this.open(), delay);
    };
  }
}
