import { COUNTRY_CODES } from '@enclave/protocol';
import { type FormEvent, useMemo, useState } from 'react';
import { ApiError, post } from '../api/http.ts';
import { useSession } from '../api/session.tsx';
import { Field } from './Field.tsx';

// First-run setup from the one-time link the server prints (/setup?token=…).
export function SetupPage({ onDone }: { onDone: () => void }) {
  const { adopt } = useSession();
  const token = useMemo(() => new URLSearchParams(window.location.search).get('token') ?? '', []);
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const countries = useMemo(() => {
    const names = new Intl.DisplayNames([navigator.language, 'en'], { type: 'region' });
    return [...COUNTRY_CODES]
      .map((c) => ({ code: c, name: names.of(c) ?? c }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }, []);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    setIssues({});
    try {
      const country = String(f.get('country') ?? '');
      const body = await post<{ user: never; csrfToken: string }>('/api/v1/setup', {
        token,
        workspaceName: String(f.get('workspaceName')),
        displayName: String(f.get('displayName')),
        email: String(f.get('email')),
        password: String(f.get('password')),
        ...(country && { country }),
      });
      adopt(body);
      window.history.replaceState(null, '', '/');
      onDone();
    } catch (err) {
      if (err instanceof ApiError && err.issues.length)
        setIssues(Object.fromEntries(err.issues.map((i) => [i.path.replace(/^body\./, ''), i.problem])));
      setError(
        err instanceof ApiError && err.code === 'SETUP_NOT_AVAILABLE'
          ? 'This setup link was already used. Sign in instead.'
          : err instanceof Error
            ? err.message
            : 'Setup failed.',
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="auth-page">
      <form className="auth-card" onSubmit={submit} aria-labelledby="setup-title">
        <h1 id="setup-title">Set up Enclave</h1>
        <p className="muted">Create the first administrator and your workspace. This link works once.</p>
        <Field
          label="Workspace name"
          name="workspaceName"
          required
          maxLength={80}
          error={issues.workspaceName}
        />
        <Field
          label="Your name"
          name="displayName"
          required
          maxLength={80}
          autoComplete="name"
          error={issues.displayName}
        />
        <Field label="Email" name="email" type="email" required autoComplete="email" error={issues.email} />
        <Field
          label="Password (at least 10 characters)"
          name="password"
          type="password"
          required
          minLength={10}
          autoComplete="new-password"
          error={issues.password}
        />
        <div className="field">
          <label htmlFor="setup-country">Where you work from</label>
          <select id="setup-country" name="country" defaultValue="">
            <option value="">Not now</option>
            {countries.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </select>
          <p className="hint">
            Channels that keep user data in a jurisdiction admit only people located there.
          </p>
        </div>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button className="primary" type="submit" disabled={busy || !token}>
          {busy ? 'Creating…' : 'Create workspace'}
        </button>
        {!token && <p className="form-error">This page needs the setup link printed by the server.</p>}
      </form>
    </main>
  );
}
