import { type Kysely, sql } from 'kysely';

// People attributes and instance duties (issue 5, docs/data-protection/fencing.md).
// They live in the directory because every region's access checks need them
// and they describe staff, not end users. Unknown country stays NULL: the
// rules treat it as "does not qualify" wherever a country is required.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE users
      ADD COLUMN country char(2),
      ADD COLUMN org_unit text,
      ADD COLUMN clearance smallint NOT NULL DEFAULT 0 CHECK (clearance BETWEEN 0 AND 9),
      ADD COLUMN duties text[] NOT NULL DEFAULT '{}' CHECK (duties <@ ARRAY['reviewer', 'auditor']::text[]),
      ADD COLUMN attributes_updated_at timestamptz;
    CREATE INDEX users_country_idx ON users (country);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE users DROP COLUMN country, DROP COLUMN org_unit, DROP COLUMN clearance,
      DROP COLUMN duties, DROP COLUMN attributes_updated_at;
  `.execute(db);
}
