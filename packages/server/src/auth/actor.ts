import type { TokenScope } from '@enclave/protocol';

/** Who is making a request, and through what credential. */
export interface Actor {
  userId: string;
  displayName: string;
  kind: 'human' | 'bot';
  instanceRole: 'admin' | 'user';
  via: 'session' | 'token';
  sessionId: string | null;
  tokenId: string | null;
  csrfToken: string | null;
  scopes: ReadonlySet<TokenScope>;
}

export const ALL_SCOPES: ReadonlySet<TokenScope> = new Set(['read', 'write', 'admin']);
