import { auditDirectory } from '../audit/record.ts';
import type { Services } from '../services.ts';
import { inDirectoryTx } from './transaction.ts';

/** Revokes sessions (all of a user's, or one) and cuts the matching live connections. */
export async function revokeSessions(
  services: Services,
  actorId: string,
  userId: string,
  sessionId?: string,
): Promise<number> {
  return inDirectoryTx(services, async (db, outbox) => {
    let q = db
      .updateTable('sessions')
      .set({ revoked_at: new Date() })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null);
    if (sessionId) q = q.where('id', '=', sessionId);
    const res = await q.executeTakeFirst();
    const n = Number(res.numUpdatedRows);
    if (n > 0) {
      await auditDirectory(db, {
        actorId,
        action: 'session.revoked',
        targetType: sessionId ? 'session' : 'user',
        targetId: sessionId ?? userId,
        details: { count: n },
      });
      outbox.push({
        kind: 'control',
        action: 'disconnect',
        userId,
        ...(sessionId ? { sessionId } : {}),
        reason: 'session_revoked',
      });
    }
    return n;
  });
}
