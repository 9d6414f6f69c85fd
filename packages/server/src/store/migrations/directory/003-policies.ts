import { type Kysely, sql } from 'kysely';

// Policy versions (docs/data-protection/policy.md, PO-7). Every version is
// kept; exactly one is active. The partial unique index makes "at most one"
// a database fact; the server stores and activates the default policy as
// version 1 on first start, so there is always one.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE policy_versions (
      version integer PRIMARY KEY CHECK (version > 0),
      name text NOT NULL,
      yaml text NOT NULL,
      sha256 text NOT NULL,
      created_by uuid REFERENCES users (id),
      created_at timestamptz NOT NULL DEFAULT now(),
      activated_at timestamptz,
      active boolean NOT NULL DEFAULT false
    );
    CREATE UNIQUE INDEX policy_versions_one_active ON policy_versions (active) WHERE active;
  `.execute(db);
}
