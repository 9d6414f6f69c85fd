import { applyChannelEvent, type Channel, type ChannelSnapshot, type Message } from '@enclave/protocol';
import { useEffect, useMemo, useState } from 'react';
import { get } from '../api/http.ts';
import { useRealtime } from '../app/RealtimeContext.tsx';
import { Composer } from './Composer.tsx';
import { MessageList } from './MessageList.tsx';
import { labelClass } from './Sidebar.tsx';

interface Page {
  messages: Message[];
  hasMoreBefore: boolean;
}

/** One channel: loads the latest page, then follows its events live (docs/realtime.md). */
export function ChannelView({ channelId, viewerId }: { channelId: string; viewerId: string }) {
  const rt = useRealtime();
  const [snap, setSnap] = useState<ChannelSnapshot | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    setSnap(null);
    setError(null);
    Promise.all([
      get<{ channel: Channel }>(`/api/v1/channels/${channelId}`),
      get<Page>(`/api/v1/channels/${channelId}/messages?limit=50`),
    ]).then(
      ([c, page]) => {
        if (cancelled) return;
        rt.holds(channelId, c.channel.lastSeq);
        setSnap({
          channel: c.channel,
          memberIds: [],
          messages: Object.fromEntries(page.messages.map((m) => [m.id, m])),
          pinnedIds: [],
          viewerId,
        });
      },
      (err: Error) => !cancelled && setError(err.message),
    );
    const off = rt.subscribe((f) => {
      if (f.type === 'event' && f.channelId === channelId)
        setSnap((s) => (s ? applyChannelEvent(s, f.event, f.seq) : s));
    });
    return () => {
      cancelled = true;
      off();
    };
  }, [channelId, rt, viewerId]);

  const timeline = useMemo(
    () =>
      snap
        ? Object.values(snap.messages)
            .filter((m) => !m.threadRootId)
            .sort((a, b) => a.seq - b.seq)
        : [],
    [snap],
  );

  if (error)
    return (
      <section className="channel-view" aria-live="polite">
        <p className="form-error">{error}</p>
      </section>
    );
  if (!snap) return <section className="channel-view" aria-busy="true" />;
  const { channel } = snap;
  return (
    <section className="channel-view" aria-labelledby="channel-title">
      <header className="channel-header">
        <h1 id="channel-title">
          {channel.kind === 'private' ? '🔒 ' : '# '}
          {channel.name}
        </h1>
        <span className={labelClass(channel.label)}>{channel.label}</span>
        <span className="region-tag">region {channel.region}</span>
        {channel.topic && <p className="channel-topic">{channel.topic}</p>}
      </header>
      <MessageList messages={timeline} />
      <Composer channel={channel} />
    </section>
  );
}
