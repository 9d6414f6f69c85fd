import type { User } from '@enclave/protocol';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import { get, post, setCsrfToken } from './http.ts';

// Who is signed in. The session cookie is HttpOnly; the CSRF token comes with
// the session (GET /api/v1/auth/session) and is kept in memory only.

interface SessionBody {
  user: User;
  csrfToken: string;
}

type State = { status: 'loading' } | { status: 'anonymous' } | { status: 'signed-in'; user: User };

interface SessionApi {
  state: State;
  login(email: string, password: string): Promise<void>;
  adopt(body: SessionBody): void;
  logout(): Promise<void>;
}

const SessionContext = createContext<SessionApi | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<State>({ status: 'loading' });

  const adopt = useCallback((body: SessionBody) => {
    setCsrfToken(body.csrfToken);
    setState({ status: 'signed-in', user: body.user });
  }, []);

  useEffect(() => {
    // Any failure (no cookie, expired, server down) means: show the sign-in page.
    get<SessionBody>('/api/v1/auth/session').then(adopt, () => setState({ status: 'anonymous' }));
  }, [adopt]);

  const login = useCallback(
    async (email: string, password: string) =>
      adopt(await post<SessionBody>('/api/v1/auth/login', { email, password })),
    [adopt],
  );
  const logout = useCallback(async () => {
    await post('/api/v1/auth/logout').catch(() => undefined);
    setCsrfToken(null);
    setState({ status: 'anonymous' });
  }, []);

  return (
    <SessionContext.Provider value={{ state, login, adopt, logout }}>{children}</SessionContext.Provider>
  );
}

export function useSession(): SessionApi {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
