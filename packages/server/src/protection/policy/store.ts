import { createHash } from 'node:crypto';
import type { PolicyIssue, PolicyVersion, PolicyVersionDetail } from '@enclave/protocol';
import { type Kysely, type Selectable, sql } from 'kysely';
import { inDirectoryTx } from '../../actions/transaction.ts';
import { auditDirectory } from '../../audit/record.ts';
import { AppError, isUniqueViolation } from '../../lib/errors.ts';
import type { Services } from '../../services.ts';
import type { DirectoryDB } from '../../store/tables.ts';
import type { CompiledPolicy } from './compile.ts';
import { defaultPolicyYaml } from './default-policy.ts';
import { mustParsePolicy, parsePolicy } from './parse.ts';

// Policy versions in the directory (PO-7): every version kept, one active,
// creation and activation audited in the same transaction.

type Row = Selectable<DirectoryDB['policy_versions']>;

export function presentPolicyVersion(r: Omit<Row, 'yaml'>): PolicyVersion {
  return {
    version: r.version,
    name: r.name,
    sha256: r.sha256,
    author: r.created_by,
    createdAt: r.created_at.toISOString(),
    activatedAt: r.activated_at?.toISOString() ?? null,
    active: r.active,
  };
}

export function presentPolicyDetail(r: Row): PolicyVersionDetail {
  return { ...presentPolicyVersion(r), yaml: r.yaml, labels: [...mustParsePolicy(r.yaml, r.version).labels] };
}

export function policyInvalid(issues: PolicyIssue[]): AppError {
  return new AppError('POLICY_INVALID', undefined, {
    issues: issues.map((i) => ({
      path: i.path || '(document)',
      problem: `line ${i.line}, column ${i.column}: ${i.problem}`,
    })),
    details: { issues },
  });
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export async function listPolicyVersions(db: Kysely<DirectoryDB>): Promise<PolicyVersion[]> {
  const rows = await db
    .selectFrom('policy_versions')
    .select(['version', 'name', 'sha256', 'created_by', 'created_at', 'activated_at', 'active'])
    .orderBy('version', 'desc')
    .execute();
  return rows.map(presentPolicyVersion);
}

export async function getPolicyVersion(db: Kysely<DirectoryDB>, version: number): Promise<Row> {
  const row = await db
    .selectFrom('policy_versions')
    .selectAll()
    .where('version', '=', version)
    .executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', 'No such policy version.');
  return row;
}

/**
 * The first start stores the shipped default as version 1 and activates it
 * (PO-7.1). Safe to race: the primary key lets exactly one node insert it.
 */
export async function ensureDefaultPolicy(services: Services): Promise<void> {
  const exists = await services.stores.directory
    .selectFrom('policy_versions')
    .select('version')
    .limit(1)
    .executeTakeFirst();
  if (exists) return;
  const yaml = defaultPolicyYaml();
  const policy = mustParsePolicy(yaml, 1);
  await services.stores.directory.transaction().execute(async (db) => {
    const inserted = await db
      .insertInto('policy_versions')
      .values({
        version: 1,
        name: policy.name,
        yaml,
        sha256: sha256(yaml),
        created_by: null,
        activated_at: new Date(),
        active: true,
      })
      .onConflict((oc) => oc.doNothing())
      .returning('version')
      .executeTakeFirst();
    if (!inserted) return;
    await auditDirectory(db, {
      actorId: null,
      action: 'policy.activated',
      targetType: 'policy',
      targetId: '1',
      details: { version: 1, previous: null, builtIn: true },
    });
  });
}

/** Stores a new version (not active). Invalid YAML: POLICY_INVALID with every issue located. */
export async function createPolicyVersion(services: Services, actorId: string, yaml: string): Promise<Row> {
  const parsed = parsePolicy(yaml);
  if (!parsed.ok) throw policyInvalid(parsed.issues);
  for (let attempt = 0; ; attempt++) {
    try {
      return await inDirectoryTx(services, async (db) => {
        const row = await db
          .insertInto('policy_versions')
          .values({
            version: sql<number>`(SELECT coalesce(max(version), 0) + 1 FROM policy_versions)`,
            name: parsed.policy.name,
            yaml,
            sha256: sha256(yaml),
            created_by: actorId,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await auditDirectory(db, {
          actorId,
          action: 'policy.created',
          targetType: 'policy',
          targetId: String(row.version),
          details: { version: row.version, sha256: row.sha256 },
        });
        return row;
      });
    } catch (err) {
      // Two admins saving at once: the loser takes the next number.
      if (attempt < 3 && isUniqueViolation(err)) continue;
      throw err;
    }
  }
}

/**
 * Makes `version` the active policy (PO-7.2). Refused when a label some
 * channel carries is missing from it, since decide() would then block
 * everything there. Idempotent for the active version.
 */
export async function activatePolicyVersion(
  services: Services,
  actorId: string,
  version: number,
): Promise<{ row: Row; policy: CompiledPolicy; changed: boolean }> {
  const target = await getPolicyVersion(services.stores.directory, version);
  const policy = mustParsePolicy(target.yaml, target.version);
  if (target.active) return { row: target, policy, changed: false };
  const missing = await labelsInUseMissingFrom(services, policy);
  if (missing.length > 0)
    throw policyInvalid(
      missing.map(({ label, channels }) => ({
        path: 'labels.order',
        line: 1,
        column: 1,
        problem: `label "${label}" is carried by ${channels} channel(s) but this policy does not declare it`,
      })),
    );
  const row = await inDirectoryTx(services, async (db, outbox) => {
    // Two activations at once would otherwise both see the old active row and
    // collide on the one-active index: take turns.
    await sql`LOCK TABLE policy_versions IN SHARE ROW EXCLUSIVE MODE`.execute(db);
    const previous = await db
      .updateTable('policy_versions')
      .set({ active: false })
      .where('active', '=', true)
      .returning('version')
      .executeTakeFirst();
    const row = await db
      .updateTable('policy_versions')
      .set({ active: true, activated_at: new Date() })
      .where('version', '=', version)
      .returningAll()
      .executeTakeFirstOrThrow();
    await auditDirectory(db, {
      actorId,
      action: 'policy.activated',
      targetType: 'policy',
      targetId: String(version),
      details: { version, previous: previous?.version ?? null },
    });
    outbox.push({ kind: 'policy', version });
    return row;
  });
  return { row, policy, changed: true };
}

async function labelsInUseMissingFrom(
  services: Services,
  policy: CompiledPolicy,
): Promise<{ label: string; channels: number }[]> {
  const counts = new Map<string, number>();
  for (const region of services.stores.regionIds) {
    const rows = await services.stores
      .region(region)
      .selectFrom('channels')
      .select(['label', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('label')
      .execute();
    for (const r of rows) counts.set(r.label, (counts.get(r.label) ?? 0) + Number(r.n));
  }
  return [...counts]
    .filter(([label]) => !policy.rank.has(label))
    .map(([label, channels]) => ({ label, channels }));
}
