import type { Channel } from '@enclave/protocol';
import { type FormEvent, type KeyboardEvent, useRef, useState } from 'react';
import { ApiError, post } from '../api/http.ts';

// Sends with a client id (idempotent retries). The server is the authority on
// personal data: a block explains itself, a warning asks for a justification,
// a held message shows as pending (docs/data-protection/pipeline.md).

type Notice =
  | { kind: 'blocked'; message: string; findings: { type: string; explanation: string }[] }
  | { kind: 'confirm'; message: string; token: string; text: string; clientMsgId: string }
  | { kind: 'held'; message: string }
  | { kind: 'error'; message: string };

export function Composer({ channel }: { channel: Channel }) {
  const [text, setText] = useState('');
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState(false);
  const justification = useRef<HTMLInputElement>(null);

  async function send(body: {
    clientMsgId: string;
    text: string;
    confirmation?: { token: string; justification: string };
  }) {
    setBusy(true);
    try {
      const res = await post<{ quarantine?: { explanation: string } }>(
        `/api/v1/channels/${channel.id}/messages`,
        body,
      );
      setText('');
      setNotice(
        res.quarantine
          ? {
              kind: 'held',
              message: `Held for review: ${res.quarantine.explanation} You will be told the outcome.`,
            }
          : null,
      );
    } catch (err) {
      if (err instanceof ApiError && err.code === 'POLICY_BLOCKED') {
        const findings = (err.details.findings ?? []) as { type: string; explanation: string }[];
        setNotice({ kind: 'blocked', message: err.message, findings });
      } else if (err instanceof ApiError && err.code === 'POLICY_CONFIRM_REQUIRED') {
        setNotice({
          kind: 'confirm',
          message: err.message,
          token: String(err.details.confirmationToken),
          text: body.text,
          clientMsgId: body.clientMsgId,
        });
      } else {
        setNotice({ kind: 'error', message: err instanceof Error ? err.message : 'Sending failed.' });
      }
    } finally {
      setBusy(false);
    }
  }

  function submit(e?: FormEvent) {
    e?.preventDefault();
    if (!text.trim() || busy) return;
    void send({ clientMsgId: crypto.randomUUID(), text });
  }

  function onKey(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  }

  return (
    <form className="composer" onSubmit={submit} aria-label="Send a message">
      {notice && (
        <div className={`notice notice-${notice.kind}`} role="alert">
          <p>{notice.message}</p>
          {notice.kind === 'blocked' && (
            <ul>
              {notice.findings.map((f, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: findings have no id; their order is fixed
                <li key={i}>{f.explanation}</li>
              ))}
            </ul>
          )}
          {notice.kind === 'confirm' && (
            <div className="confirm-row">
              <label htmlFor="justification">Why is this needed?</label>
              <input id="justification" ref={justification} minLength={10} maxLength={500} />
              <button
                type="button"
                onClick={() =>
                  void send({
                    clientMsgId: notice.clientMsgId,
                    text: notice.text,
                    confirmation: { token: notice.token, justification: justification.current?.value ?? '' },
                  })
                }
              >
                Send anyway
              </button>
            </div>
          )}
          <button type="button" className="link" onClick={() => setNotice(null)}>
            Dismiss
          </button>
        </div>
      )}
      <div className="composer-row">
        <label htmlFor="composer-input" className="sr-only">
          Message {channel.kind === 'dm' ? 'this person' : `#${channel.name}`}
        </label>
        <textarea
          id="composer-input"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKey}
          placeholder={channel.kind === 'dm' ? 'Message' : `Message #${channel.name}`}
          rows={1}
          maxLength={8000}
          disabled={channel.archived}
        />
        <button className="primary" type="submit" disabled={busy || !text.trim()}>
          Send
        </button>
      </div>
    </form>
  );
}
