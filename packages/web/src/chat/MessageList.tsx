import type { Message } from '@enclave/protocol';
import { useEffect, useRef } from 'react';
import { MessageText } from './MessageText.tsx';

export function MessageList({ messages }: { messages: Message[] }) {
  const end = useRef<HTMLDivElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll when the count changes
  useEffect(() => {
    // Braces matter: newer browsers return a Promise from scrollIntoView, which is no cleanup.
    end.current?.scrollIntoView({ block: 'end' });
  }, [messages.length]);
  return (
    <div className="message-list" role="log" aria-label="Messages" aria-live="polite">
      {messages.map((m) => (
        <article key={m.id} className="message" data-message-id={m.id}>
          <header className="message-meta">
            <span className="author">{m.authorId.slice(0, 8)}</span>
            <time dateTime={m.createdAt}>
              {new Date(m.createdAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}
            </time>
            {m.editedAt && <span className="edited">(edited)</span>}
          </header>
          {m.deleted ? <p className="muted">This message was deleted.</p> : <MessageText text={m.text} />}
        </article>
      ))}
      <div ref={end} />
    </div>
  );
}
