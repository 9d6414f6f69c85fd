import { sql } from 'kysely';
import { inRegionTx } from '../../actions/transaction.ts';
import { auditRegion, auditRegionDenied } from '../../audit/record.ts';
import type { Actor } from '../../auth/actor.ts';
import { AppError } from '../../lib/errors.ts';
import type { Services } from '../../services.ts';
import { checkJustification } from './justification.ts';
import { findSubject, presentReceipt, requireInstanceAdmin } from './subject-admin.ts';

// Erasure by crypto-shredding (VA-16..VA-19). Destroying one wrapped data key
// makes every value of the subject unrecoverable at once: in this database,
// in its replicas and backups, and in any export that copied the ciphertext.
// The ciphertext columns are cleared too, as belt and braces.

const ACTION = 'vault.erase';

export async function eraseSubject(
  services: Services,
  actor: Actor,
  subjectId: string,
  justification: string,
) {
  try {
    requireInstanceAdmin(actor);
  } catch (err) {
    // A refused erasure is worth recording when we can tell where the subject lives.
    const found = await findSubject(services, subjectId).catch(() => null);
    if (found) {
      await auditRegionDenied(services.stores.region(found.region), services.log, {
        actorId: actor.userId,
        action: ACTION,
        targetType: 'vault_subject',
        targetId: subjectId,
        details: { reason: 'not_instance_admin' },
      });
    }
    throw err;
  }
  checkJustification(justification);
  const { region } = await findSubject(services, subjectId);
  const receipt = await inRegionTx(services, region, async (tx) => {
    const subject = await tx.db
      .selectFrom('vault_subjects')
      .selectAll()
      .where('id', '=', subjectId)
      .forUpdate() // waits for reveals holding the key (FOR SHARE) to finish
      .executeTakeFirstOrThrow();
    if (subject.erased_at) {
      throw new AppError('SUBJECT_ALREADY_ERASED', undefined, {
        details: { receipt: presentReceipt(region, subject) },
      });
    }
    const shredded = await tx.db
      .updateTable('vault_values')
      .set({ ciphertext: null, nonce: null, tag: null })
      .where('subject_id', '=', subjectId)
      .executeTakeFirst();
    const valueCount = Number(shredded.numUpdatedRows);
    await auditRegion(tx.db, {
      actorId: actor.userId,
      action: ACTION,
      targetType: 'vault_subject',
      targetId: subjectId,
      details: { valueCount, justificationLength: justification.length, kind: subject.kind },
    });
    const auditSeq = await lastAuditSeq(tx.db, subjectId);
    const erased = await tx.db
      .updateTable('vault_subjects')
      .set({
        wrapped_key: null,
        // The keyed hash still links the person's identifier to this row: erase it too.
        subject_ref: null,
        erased_at: new Date(),
        erased_by: actor.userId,
        erased_value_count: valueCount,
        erasure_audit_seq: auditSeq,
      })
      .where('id', '=', subjectId)
      .returningAll()
      .executeTakeFirstOrThrow();
    return presentReceipt(region, erased)!;
  });
  // The old row version (with the wrapped key) is dead after commit; let PostgreSQL
  // reclaim it now rather than at the next autovacuum (VA-19 lists what remains).
  await sql`VACUUM vault_subjects`
    .execute(services.stores.region(region))
    .catch((err: Error) => services.log.warn({ err: err.message }, 'vault: vacuum after erasure failed'));
  return receipt;
}

/**
 * The sequence number of the audit entry just written for this erasure (same
 * transaction, and the chain head is locked by it, so it is ours).
 */
async function lastAuditSeq(
  db: Parameters<typeof auditRegion>[0],
  subjectId: string,
): Promise<number | null> {
  const r = await sql<{ seq: number | string }>`
    SELECT seq FROM audit_events
    WHERE action = ${ACTION} AND target_id = ${subjectId}
    ORDER BY seq DESC LIMIT 1`.execute(db);
  const seq = r.rows[0]?.seq;
  return seq === undefined ? null : Number(seq);
}
