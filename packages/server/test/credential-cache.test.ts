import { describe, expect, it } from 'vitest';
import { type Actor, ALL_SCOPES } from '../src/auth/actor.ts';
import { CredentialCache } from '../src/auth/credential-cache.ts';

const actor = (userId: string, sessionId: string | null, tokenId: string | null): Actor => ({
  userId,
  displayName: 'x',
  kind: 'human',
  instanceRole: 'user',
  via: sessionId ? 'session' : 'token',
  sessionId,
  tokenId,
  csrfToken: null,
  scopes: ALL_SCOPES,
  duties: [],
  attributes: { country: null, orgUnit: null, clearance: 0 },
});

describe('credential cache', () => {
  it('keeps an entry no longer than its lifetime or the credential expiry, whichever is first', () => {
    const c = new CredentialCache(10_000);
    c.set('a', actor('u1', 's1', null), null, 0);
    c.set('b', actor('u1', 's2', null), new Date(3_000), 0);
    expect(c.get('a', 9_999)?.sessionId).toBe('s1');
    expect(c.get('a', 10_000)).toBeUndefined();
    expect(c.get('b', 2_999)?.sessionId).toBe('s2');
    expect(c.get('b', 3_000)).toBeUndefined();
  });

  it('forgets exactly what a control envelope revokes', () => {
    const c = new CredentialCache(10_000);
    c.set('s1', actor('u1', 's1', null), null, 0);
    c.set('s2', actor('u1', 's2', null), null, 0);
    c.set('t1', actor('u1', null, 't1'), null, 0);
    c.set('o', actor('u2', 's9', null), null, 0);
    c.invalidate({ userId: 'u1', sessionId: 's1' });
    expect([c.get('s1', 1), c.get('s2', 1)?.sessionId]).toEqual([undefined, 's2']);
    c.invalidate({ userId: 'u1', tokenId: 't1' });
    expect([c.get('t1', 1), c.get('s2', 1)?.sessionId]).toEqual([undefined, 's2']);
    c.invalidate({ userId: 'u1' });
    expect([c.get('s2', 1), c.get('o', 1)?.userId]).toEqual([undefined, 'u2']);
  });

  it('caches nothing with a zero lifetime, and never grows past its bound', () => {
    const off = new CredentialCache(0);
    off.set('a', actor('u', 's', null), null, 0);
    expect(off.size).toBe(0);
    const small = new CredentialCache(10_000, 2);
    for (const k of ['a', 'b', 'c']) small.set(k, actor('u', k, null), null, 0);
    expect(small.size).toBeLessThanOrEqual(2);
  });
});
