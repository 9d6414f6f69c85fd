import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { type BenchSocket, closeAll, connectAll } from './clients.ts';
import type { Fixture } from './fixture.ts';
import type { HttpClient } from './http.ts';
import { type LatencySummary, summarise } from './stats.ts';

// The realtime load: every user holds one live WebSocket; messages are sent over
// HTTP on an open-loop schedule (each send fires at its planned time whether or
// not earlier ones have been answered) and each is expected on the WebSocket of
// every member of its channel, the sender's own connection included.
//
// One process both sends and receives, so send and receive times come from the
// same monotonic clock (performance.now()). Latency is measured from the
// *planned* send time, so a generator that falls behind shows up as latency
// instead of hiding it (no coordinated omission).

export interface LoadOptions {
  rate: number;
  durationSec: number;
  /** How long to wait after the last send for outstanding deliveries. */
  drainMs: number;
  /** Approximate message text length in characters (the id marker plus padding). */
  textChars: number;
  /** Sampled when the first send fires and when the last delivery lands (or the drain ends). */
  onWindowStart?: () => void;
  onWindowEnd?: () => void;
}

export interface LoadResult {
  messagesPlanned: number;
  membersPerChannel: number;
  deliveriesExpected: number;
  deliveriesReceived: number;
  deliveriesLost: number;
  duplicates: number;
  sendsAccepted: number;
  sendErrors: number;
  sendErrorSamples: string[];
  unexpectedCloses: number;
  /** From the first planned send to the last delivery. */
  windowSec: number;
  deliveriesPerSec: number;
  messagesPerSec: number;
  latencyMs: LatencySummary;
  /** HTTP send round trip (request written to 201 received). */
  sendRoundTripMs: LatencySummary;
  /** How late the generator fired sends against the plan. */
  scheduleLagMs: LatencySummary;
  /** Latency p50/p99 of the messages planned in each second of the send window. */
  perSecond: { second: number; p50: number; p99: number }[];
}

const MARKER = /\[bench ([0-9a-f]+) (\d+)\]/;

/** Collects deliveries: one slot per (message, member), so duplicates and losses are exact. */
class Receiver {
  readonly latency: Float64Array;
  readonly got: Uint8Array;
  received = 0;
  lastAt = 0;
  duplicates = 0;
  unexpectedCloses = 0;
  onComplete: (() => void) | null = null;

  constructor(
    private readonly runId: string,
    private readonly planned: Float64Array,
    private readonly channels: number,
    private readonly size: number,
  ) {
    this.latency = new Float64Array(planned.length * size);
    this.got = new Uint8Array(planned.length * size);
  }

  readonly onFrame = (text: string, userIndex: number): void => {
    const now = performance.now();
    if (!text.includes('"message.created"')) return;
    const frame = JSON.parse(text);
    if (frame.type !== 'event' || frame.event?.type !== 'message.created') return;
    const m = MARKER.exec(frame.event.message.text as string);
    if (!m || m[1] !== this.runId) return;
    const k = Number(m[2]);
    const channel = k % this.channels;
    const slot = userIndex - channel * this.size;
    if (slot < 0 || slot >= this.size)
      throw new Error(`user ${userIndex} received a message of channel ${channel} it is not in`);
    const i = k * this.size + slot;
    if (this.got[i]) {
      this.duplicates++;
      return;
    }
    this.got[i] = 1;
    this.latency[i] = now - this.planned[k]!;
    this.lastAt = now;
    if (++this.received === this.got.length) this.onComplete?.();
  };
}

export interface LoadConnections {
  sockets: BenchSocket[];
  run(client: HttpClient, opts: LoadOptions): Promise<LoadResult>;
  close(): Promise<void>;
}

/** Opens one live connection per user (resolves once all are `resumed`); `run` then drives the load. */
export async function openLoadConnections(
  baseUrl: string,
  fixture: Fixture,
  opts: { rate: number; durationSec: number },
): Promise<LoadConnections> {
  const runId = randomBytes(4).toString('hex');
  const channels = fixture.channels.length;
  const size = fixture.users.length / channels;
  const total = Math.round(opts.rate * opts.durationSec);
  const planned = new Float64Array(total);
  const receiver = new Receiver(runId, planned, channels, size);
  const sockets = await connectAll(
    fixture.users.map((u, i) => ({
      token: u.token,
      userIndex: i,
      onFrame: receiver.onFrame,
      onUnexpectedClose: () => {
        receiver.unexpectedCloses++;
      },
    })),
    baseUrl,
  );

  const run = async (client: HttpClient, load: LoadOptions): Promise<LoadResult> => {
    if (load.rate !== opts.rate || load.durationSec !== opts.durationSec)
      throw new Error('run() must use the rate and duration given at open');
    const started = new Float64Array(total);
    const roundTrip: number[] = [];
    const errorSamples: string[] = [];
    let accepted = 0;
    let errors = 0;
    let answered = 0;
    const padding = 'x'.repeat(Math.max(0, load.textChars - 30));

    const fire = (k: number) => {
      const channel = k % channels;
      const slot = Math.floor(k / channels) % size;
      const sender = fixture.users[channel * size + slot]!;
      const t0 = performance.now();
      started[k] = t0;
      client
        .request(
          'POST',
          `/api/v1/channels/${fixture.channels[channel]!.id}/messages`,
          { bearer: sender.token },
          {
            clientMsgId: `${runId}-${k}`,
            text: `[bench ${runId} ${k}] ${padding}`,
          },
        )
        .then((res) => {
          if (res.status === 201) {
            accepted++;
            roundTrip.push(performance.now() - t0);
          } else {
            errors++;
            if (errorSamples.length < 5) errorSamples.push(`${res.status} ${res.body?.error?.code ?? ''}`);
          }
        })
        .catch((err: Error) => {
          errors++;
          if (errorSamples.length < 5) errorSamples.push(err.message);
        })
        .finally(() => {
          answered++;
        });
    };

    const t0 = performance.now() + 50;
    for (let k = 0; k < total; k++) planned[k] = t0 + (k * 1000) / load.rate;
    const complete = new Promise<void>((resolve) => {
      receiver.onComplete = resolve;
    });
    await new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, t0 - performance.now())));
    load.onWindowStart?.();
    // Open loop: fire everything that is due, then sleep until the next planned send.
    await new Promise<void>((resolve) => {
      let next = 0;
      const tick = () => {
        const now = performance.now();
        while (next < total && planned[next]! <= now) fire(next++);
        if (next < total) setTimeout(tick, Math.max(0, planned[next]! - performance.now()));
        else resolve();
      };
      tick();
    });
    const drainDeadline = performance.now() + load.drainMs;
    await Promise.race([complete, new Promise((r) => setTimeout(r, load.drainMs))]);
    load.onWindowEnd?.();
    // Let stragglers of the HTTP side finish so their status is counted (bounded by the drain).
    while (answered < total && performance.now() < drainDeadline + 5000)
      await new Promise((r) => setTimeout(r, 20));

    const received = receiver.received;
    const latencies = new Float64Array(received);
    let j = 0;
    for (let i = 0; i < receiver.got.length; i++) if (receiver.got[i]) latencies[j++] = receiver.latency[i]!;
    const lag = new Float64Array(total);
    for (let k = 0; k < total; k++) lag[k] = started[k]! - planned[k]!;
    const perSecond: LoadResult['perSecond'] = [];
    const perSec = Math.max(1, Math.round(load.rate));
    for (let first = 0; first < total; first += perSec) {
      const slice: number[] = [];
      for (let k = first; k < Math.min(total, first + perSec); k++) {
        for (let m = 0; m < size; m++)
          if (receiver.got[k * size + m]) slice.push(receiver.latency[k * size + m]!);
      }
      const sum = summarise(Float64Array.from(slice));
      perSecond.push({ second: first / perSec, p50: sum.p50, p99: sum.p99 });
    }
    const windowSec = ((receiver.lastAt || performance.now()) - t0) / 1000;
    return {
      messagesPlanned: total,
      membersPerChannel: size,
      deliveriesExpected: total * size,
      deliveriesReceived: received,
      deliveriesLost: total * size - received,
      duplicates: receiver.duplicates,
      sendsAccepted: accepted,
      sendErrors: errors + (total - answered),
      sendErrorSamples: errorSamples,
      unexpectedCloses: receiver.unexpectedCloses,
      windowSec,
      deliveriesPerSec: received / windowSec,
      messagesPerSec: received / size / windowSec,
      latencyMs: summarise(latencies),
      sendRoundTripMs: summarise(Float64Array.from(roundTrip)),
      scheduleLagMs: summarise(lag),
      perSecond,
    };
  };

  return { sockets, run, close: () => closeAll(sockets) };
}
