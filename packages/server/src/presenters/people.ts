import type { Person } from '@enclave/protocol';
import type { Selectable } from 'kysely';
import { attributesOf } from '../auth/actor.ts';
import type { DirectoryDB } from '../store/tables.ts';
import { presentUser, USER_COLUMNS } from './users.ts';

export const PERSON_COLUMNS = [
  ...USER_COLUMNS,
  'instance_role',
  'duties',
  'country',
  'org_unit',
  'clearance',
  'attributes_updated_at',
] as const;

export type PersonRow = Pick<Selectable<DirectoryDB['users']>, (typeof PERSON_COLUMNS)[number]>;

export function presentPerson(r: PersonRow): Person {
  return {
    ...presentUser(r),
    instanceRole: r.instance_role,
    duties: r.duties,
    attributes: attributesOf(r),
    attributesUpdatedAt: r.attributes_updated_at?.toISOString() ?? null,
  };
}
