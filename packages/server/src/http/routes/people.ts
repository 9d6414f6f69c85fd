import {
  PeopleQuery,
  PeopleResponse,
  PersonResponse,
  PostureQuery,
  PostureResponse,
  SetDutiesBody,
  UpdateAttributesBody,
} from '@enclave/protocol';
import { z } from 'zod';
import { getPerson, listPeople, setDuties, updateAttributes } from '../../actions/people.ts';
import { posture } from '../../protection/residency/posture.ts';
import { reevaluateAccess } from '../../protection/residency/reevaluate.ts';
import { route } from '../route.ts';

// People and their attributes (docs/data-protection/fencing.md, FE-1).
const PersonParams = z.strictObject({ userId: z.uuid() });

export const peopleRoutes = [
  route({
    method: 'GET',
    url: '/api/v1/people',
    summary: 'Instance admins, reviewers and auditors: people with their attributes and duties, by id.',
    tag: 'people',
    auth: 'user',
    scope: 'admin',
    query: PeopleQuery,
    response: PeopleResponse,
    handler: ({ services, actor, query }) => listPeople(services, actor, query),
  }),
  route({
    method: 'GET',
    url: '/api/v1/people/:userId',
    summary: 'One person with attributes and duties (yourself, or anyone for the privacy team).',
    tag: 'people',
    auth: 'user',
    params: PersonParams,
    response: PersonResponse,
    handler: ({ services, actor, params }) => getPerson(services, actor, params.userId),
  }),
  route({
    method: 'PATCH',
    url: '/api/v1/people/:userId/attributes',
    summary:
      'Instance admins: set location country, organisation unit or clearance. Audited; channels the person no longer qualifies for are cut off at once.',
    tag: 'people',
    auth: 'user',
    scope: 'admin',
    params: PersonParams,
    body: UpdateAttributesBody,
    response: PersonResponse,
    handler: async ({ services, actor, params, body }) => {
      const { person, before } = await updateAttributes(services, actor, params.userId, body);
      await reevaluateAccess(services, actor.userId, params.userId, before);
      return { person };
    },
  }),
  route({
    method: 'PUT',
    url: '/api/v1/people/:userId/duties',
    summary: 'Instance admins: set the instance duties (reviewer, auditor) a person holds. Audited.',
    tag: 'people',
    auth: 'user',
    scope: 'admin',
    params: PersonParams,
    body: SetDutiesBody,
    response: PersonResponse,
    handler: ({ services, actor, params, body }) => setDuties(services, actor, params.userId, body.duties),
  }),
  route({
    method: 'GET',
    url: '/api/v1/review/posture',
    summary:
      'The privacy team: every channel of a workspace with region, label, members by country, findings by type over a period, and each current violation of the membership rules with a suggested fix.',
    tag: 'review',
    auth: 'user',
    scope: 'admin',
    query: PostureQuery,
    response: PostureResponse,
    handler: ({ services, actor, query }) => posture(services, actor, query),
  }),
];
