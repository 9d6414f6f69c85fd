import type { Kysely } from 'kysely';
import { auditDirectory } from '../audit/record.ts';
import { AppError, isUniqueViolation } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import type { Services } from '../services.ts';
import type { DirectoryDB } from '../store/tables.ts';
import { createChannel } from './channels.ts';

function slugify(name: string): string {
  const s = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 32);
  return s.length >= 2 ? s : 'workspace';
}

/** Inserts a workspace with its owner inside the caller's directory transaction. */
export async function insertWorkspace(
  db: Kysely<DirectoryDB>,
  ownerId: string,
  input: { name: string; slug?: string | undefined; homeRegion: string },
) {
  const id = newId();
  const base = input.slug ?? slugify(input.name);
  // An explicit slug must be free; a derived one gets a short suffix when taken.
  for (let attempt = 0; attempt < 5; attempt++) {
    const slug = attempt === 0 ? base : `${base}-${newId().slice(-4)}`;
    const taken = await db.selectFrom('workspaces').select('id').where('slug', '=', slug).executeTakeFirst();
    if (taken) {
      if (input.slug)
        throw new AppError('VALIDATION_FAILED', 'That workspace slug is taken.', {
          issues: [{ path: 'body.slug', problem: 'already taken' }],
        });
      continue;
    }
    const row = await db
      .insertInto('workspaces')
      .values({ id, name: input.name, slug, home_region: input.homeRegion, created_by: ownerId })
      .returningAll()
      .executeTakeFirstOrThrow();
    await db
      .insertInto('workspace_members')
      .values({ workspace_id: id, user_id: ownerId, role: 'owner' })
      .execute();
    await auditDirectory(db, {
      actorId: ownerId,
      action: 'workspace.created',
      targetType: 'workspace',
      targetId: id,
      workspaceId: id,
    });
    return row;
  }
  throw new AppError('VALIDATION_FAILED', 'Could not derive a free workspace slug; pass one explicitly.');
}

/** Creates a workspace and its #general channel (in the workspace's home region). */
export async function createWorkspace(
  services: Services,
  ownerId: string,
  input: { name: string; slug?: string | undefined; homeRegion?: string | undefined },
) {
  const homeRegion = input.homeRegion ?? services.config.defaultRegion;
  if (!services.stores.regionIds.includes(homeRegion)) {
    throw new AppError('VALIDATION_FAILED', 'Unknown region.', {
      issues: [{ path: 'body.homeRegion', problem: 'not a configured region' }],
    });
  }
  let ws: Awaited<ReturnType<typeof insertWorkspace>>;
  try {
    ws = await services.stores.directory
      .transaction()
      .execute((db) => insertWorkspace(db, ownerId, { ...input, homeRegion }));
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('VALIDATION_FAILED', 'That workspace slug is taken.');
    throw err;
  }
  await createChannel(services, ownerId, ws.id, 'owner', {
    name: 'general',
    kind: 'public',
    topic: '',
    purpose: 'Everyone in the workspace.',
  });
  return ws;
}
