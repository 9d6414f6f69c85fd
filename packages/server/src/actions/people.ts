import type { Duty, PersonAttributes } from '@enclave/protocol';
import { sql } from 'kysely';
import { auditDirectory } from '../audit/record.ts';
import { type Actor, hasDuty } from '../auth/actor.ts';
import { AppError } from '../lib/errors.ts';
import { PERSON_COLUMNS, type PersonRow, presentPerson } from '../presenters/people.ts';
import type { Services } from '../services.ts';
import { inDirectoryTx } from './transaction.ts';

// People, their attributes and duties (docs/data-protection/fencing.md, FE-1).
// Instance admins change them; the privacy team (reviewers, auditors) reads
// them. A change takes effect at once: the person's cached credentials and
// channel routes are dropped on every node, and live connections re-check
// every channel (the gateway reacts to the `refresh` control envelope).

export function requirePeopleReader(actor: Actor): void {
  if (!hasDuty(actor, 'reviewer') && !hasDuty(actor, 'auditor'))
    throw new AppError('FORBIDDEN', 'Only instance administrators, reviewers and auditors can list people.');
}

function requireAdmin(actor: Actor): void {
  if (actor.instanceRole !== 'admin')
    throw new AppError(
      'FORBIDDEN',
      'Only instance administrators can change people’s attributes and duties.',
    );
}

export interface PeopleFilter {
  country?: string | undefined;
  orgUnit?: string | undefined;
  duty?: Duty | undefined;
  q?: string | undefined;
  after?: string | undefined;
  limit: number;
}

export async function listPeople(services: Services, actor: Actor, f: PeopleFilter) {
  requirePeopleReader(actor);
  let q = services.stores.directory.selectFrom('users').select(PERSON_COLUMNS);
  if (f.country === 'none') q = q.where('country', 'is', null);
  else if (f.country) q = q.where('country', '=', f.country);
  if (f.orgUnit) q = q.where('org_unit', '=', f.orgUnit);
  if (f.duty) q = q.where(sql<boolean>`${f.duty} = ANY(duties)`);
  if (f.q) {
    const prefix = `${f.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) =>
      eb.or([
        eb(eb.fn('lower', ['display_name']), 'like', prefix),
        eb(eb.fn('lower', ['email']), 'like', prefix),
      ]),
    );
  }
  if (f.after) q = q.where('id', '>', f.after);
  const rows = await q
    .orderBy('id')
    .limit(f.limit + 1)
    .execute();
  const page = rows.slice(0, f.limit);
  return {
    people: page.map(presentPerson),
    nextAfter: rows.length > f.limit ? page[page.length - 1]!.id : null,
  };
}

export async function getPerson(services: Services, actor: Actor, userId: string) {
  if (userId !== actor.userId) requirePeopleReader(actor);
  const row = await services.stores.directory
    .selectFrom('users')
    .select(PERSON_COLUMNS)
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!row) throw new AppError('USER_NOT_FOUND');
  return { person: presentPerson(row) };
}

type AttributeChanges = { [K in keyof PersonAttributes]?: PersonAttributes[K] | undefined };

/** Changes attributes in one directory transaction with its audit entry (before and after). */
export async function updateAttributes(
  services: Services,
  actor: Actor,
  userId: string,
  changes: AttributeChanges,
): Promise<{ person: ReturnType<typeof presentPerson>; before: PersonAttributes }> {
  requireAdmin(actor);
  const result = await inDirectoryTx(services, async (db, outbox) => {
    const old = await db
      .selectFrom('users')
      .select(PERSON_COLUMNS)
      .where('id', '=', userId)
      .forUpdate()
      .executeTakeFirst();
    if (!old) throw new AppError('USER_NOT_FOUND');
    const row = await db
      .updateTable('users')
      .set({
        ...(changes.country !== undefined && { country: changes.country }),
        ...(changes.orgUnit !== undefined && { org_unit: changes.orgUnit }),
        ...(changes.clearance !== undefined && { clearance: changes.clearance }),
        attributes_updated_at: new Date(),
      })
      .where('id', '=', userId)
      .returning(PERSON_COLUMNS)
      .executeTakeFirstOrThrow();
    const before = presentPerson(old).attributes;
    const after = presentPerson(row).attributes;
    await auditDirectory(db, {
      actorId: actor.userId,
      action: 'person.attributes_changed',
      targetType: 'user',
      targetId: userId,
      details: { before, after },
    });
    outbox.push({ kind: 'control', action: 'refresh', userId, reason: 'access_changed' });
    return { row, before };
  });
  return { person: presentPerson(result.row), before: result.before };
}

export async function setDuties(services: Services, actor: Actor, userId: string, duties: Duty[]) {
  requireAdmin(actor);
  const row = await inDirectoryTx(services, async (db, outbox) => {
    const old = await db
      .selectFrom('users')
      .select(['duties', 'kind'])
      .where('id', '=', userId)
      .forUpdate()
      .executeTakeFirst();
    if (!old) throw new AppError('USER_NOT_FOUND');
    if (old.kind === 'bot' && duties.length)
      throw new AppError('VALIDATION_FAILED', 'Bots cannot hold duties.', {
        issues: [{ path: 'body.duties', problem: 'bots cannot review or audit' }],
      });
    const updated = await db
      .updateTable('users')
      .set({ duties: [...duties].sort() })
      .where('id', '=', userId)
      .returning(PERSON_COLUMNS)
      .executeTakeFirstOrThrow();
    await auditDirectory(db, {
      actorId: actor.userId,
      action: 'person.duties_changed',
      targetType: 'user',
      targetId: userId,
      details: { before: old.duties, after: updated.duties },
    });
    outbox.push({ kind: 'control', action: 'refresh', userId, reason: 'access_changed' });
    return updated;
  });
  return { person: presentPerson(row as PersonRow) };
}
