import {
  CreatePolicyBody,
  PolicyDryRunBody,
  PolicyDryRunResponse,
  PolicyListResponse,
  PolicyResponse,
} from '@enclave/protocol';
import { z } from 'zod';
import type { Actor } from '../../auth/actor.ts';
import { AppError } from '../../lib/errors.ts';
import { dryRunPolicy } from '../../protection/policy/dry-run.ts';
import {
  activePolicy,
  type CompiledPolicy,
  forgetActivePolicy,
  mustParsePolicy,
  parsePolicy,
} from '../../protection/policy/index.ts';
import {
  activatePolicyVersion,
  createPolicyVersion,
  getPolicyVersion,
  listPolicyVersions,
  policyInvalid,
  presentPolicyDetail,
} from '../../protection/policy/store.ts';
import { route } from '../route.ts';

// The data-protection policy is instance-wide (it governs every workspace and
// region), so only instance admins read or change it (PO-9).

const VersionParams = z.strictObject({ version: z.coerce.number().int().min(1).max(2_147_483_647) });

function instanceAdmin(actor: Actor): void {
  if (actor.instanceRole !== 'admin')
    throw new AppError('FORBIDDEN', 'Only instance admins can read or change the data-protection policy.');
}

export const policyRoutes = [
  route({
    method: 'GET',
    url: '/api/v1/policies',
    summary: 'Every stored policy version, newest first (instance admins).',
    tag: 'policies',
    auth: 'user',
    scope: 'admin',
    response: PolicyListResponse,
    handler: async ({ services, actor }) => {
      instanceAdmin(actor);
      await activePolicy(services); // a fresh install lists its default version 1
      return { policies: await listPolicyVersions(services.stores.directory) };
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/policies/active',
    summary: 'The active policy version with its YAML (instance admins).',
    tag: 'policies',
    auth: 'user',
    scope: 'admin',
    response: PolicyResponse,
    handler: async ({ services, actor }) => {
      instanceAdmin(actor);
      const active = await activePolicy(services);
      return {
        policy: presentPolicyDetail(await getPolicyVersion(services.stores.directory, active.version!)),
      };
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/policies/:version',
    summary: 'One policy version with its YAML (instance admins).',
    tag: 'policies',
    auth: 'user',
    scope: 'admin',
    params: VersionParams,
    response: PolicyResponse,
    handler: async ({ services, actor, params }) => {
      instanceAdmin(actor);
      return {
        policy: presentPolicyDetail(await getPolicyVersion(services.stores.directory, params.version)),
      };
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/policies',
    summary:
      'Store a new policy version from YAML (not yet active). 400 POLICY_INVALID lists every problem with line and column.',
    tag: 'policies',
    auth: 'user',
    scope: 'admin',
    body: CreatePolicyBody,
    response: PolicyResponse,
    status: 201,
    handler: async ({ services, actor, body }) => {
      instanceAdmin(actor);
      return { policy: presentPolicyDetail(await createPolicyVersion(services, actor.userId, body.yaml)) };
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/policies/:version/activate',
    summary: 'Make a stored version the active policy (audited; every node reloads it).',
    tag: 'policies',
    auth: 'user',
    scope: 'admin',
    params: VersionParams,
    response: PolicyResponse,
    handler: async ({ services, actor, params }) => {
      instanceAdmin(actor);
      await activePolicy(services); // the default exists before anything replaces it
      const { row, changed } = await activatePolicyVersion(services, actor.userId, params.version);
      // The bus tells every node, this one included; forgetting here too closes
      // the window before our own envelope comes back through NATS.
      if (changed) forgetActivePolicy(services);
      return { policy: presentPolicyDetail(row) };
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/policies/dry-run',
    summary:
      'What a candidate policy (YAML or a stored version) would decide for the most recent messages of each region, next to the active policy. Counts only.',
    tag: 'policies',
    auth: 'user',
    scope: 'admin',
    body: PolicyDryRunBody,
    response: PolicyDryRunResponse,
    rateLimit: { max: 30, timeWindow: 60_000 },
    handler: async ({ services, actor, body }) => {
      instanceAdmin(actor);
      let candidate: CompiledPolicy;
      if (body.yaml !== undefined) {
        const parsed = parsePolicy(body.yaml);
        if (!parsed.ok) throw policyInvalid(parsed.issues);
        candidate = parsed.policy;
      } else {
        const row = await getPolicyVersion(services.stores.directory, body.version!);
        candidate = mustParsePolicy(row.yaml, row.version);
      }
      const active = await activePolicy(services);
      return dryRunPolicy(services, candidate, active, { workspaceId: body.workspaceId, limit: body.limit });
    },
  }),
];
