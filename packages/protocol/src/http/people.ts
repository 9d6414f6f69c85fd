import { z } from 'zod';
import { Id, IsoDate, Limit } from '../common.ts';
import { CountryCode } from '../countries.ts';
import { User } from '../entities.ts';

// People and their attributes (issue 5, docs/data-protection/fencing.md). The
// attributes decide who may be in which channel: where a person works from,
// their organisation unit and their clearance. Instance admins set them.

export const OrgUnit = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(
    /^[\p{L}\p{N}][\p{L}\p{N} ._/&-]*$/u,
    'must be an organisation unit name (letters, digits, " ._/&-")',
  );
export const Clearance = z.number().int().min(0).max(9);

export const PersonAttributes = z.object({
  /** Where the person works from; null = unknown, which fails every country rule (closed). */
  country: CountryCode.nullable(),
  orgUnit: OrgUnit.nullable(),
  /** 0 = none; policies set the minimum a label needs. */
  clearance: Clearance,
});
export type PersonAttributes = z.infer<typeof PersonAttributes>;

/** Instance-wide duties on top of the instance role (admins have every duty). */
export const Duty = z.enum(['reviewer', 'auditor']);
export type Duty = z.infer<typeof Duty>;

export const Person = User.extend({
  instanceRole: z.enum(['admin', 'user']),
  duties: z.array(Duty),
  attributes: PersonAttributes,
  attributesUpdatedAt: IsoDate.nullable(),
});
export type Person = z.infer<typeof Person>;

export const PersonResponse = z.object({ person: Person });
export const PeopleQuery = z.strictObject({
  /** Only people located in this country ("none" = no country set). */
  country: z.union([CountryCode, z.literal('none')]).optional(),
  orgUnit: OrgUnit.optional(),
  duty: Duty.optional(),
  /** Display name or email starts with this (case-insensitive). */
  q: z.string().trim().min(1).max(80).optional(),
  /** The id to continue after (ordered by id). */
  after: Id.optional(),
  limit: Limit,
});
export const PeopleResponse = z.object({ people: z.array(Person), nextAfter: Id.nullable() });

export const UpdateAttributesBody = z
  .strictObject({
    country: CountryCode.nullable().optional(),
    orgUnit: OrgUnit.nullable().optional(),
    clearance: Clearance.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'give at least one of country, orgUnit, clearance');

export const SetDutiesBody = z.strictObject({
  duties: z
    .array(Duty)
    .max(Duty.options.length)
    .refine((d) => new Set(d).size === d.length, 'list each duty once'),
});
