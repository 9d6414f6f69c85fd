import { ChangePasswordBody, UpdateMeBody, UserResponse } from '@enclave/protocol';
import { z } from 'zod';
import {
  assertMayManageUser,
  changePassword,
  deactivateUser,
  reactivateUser,
  updateProfile,
} from '../../actions/users.ts';
import { AppError } from '../../lib/errors.ts';
import { presentUser, USER_COLUMNS } from '../../presenters/users.ts';
import { route } from '../route.ts';

const UserParams = z.strictObject({ userId: z.uuid() });

export const userRoutes = [
  route({
    method: 'GET',
    url: '/api/v1/me',
    summary: 'Your own account.',
    tag: 'users',
    auth: 'user',
    response: UserResponse,
    handler: async ({ services, actor }) => {
      const row = await services.stores.directory
        .selectFrom('users')
        .select(USER_COLUMNS)
        .where('id', '=', actor.userId)
        .executeTakeFirstOrThrow();
      return { user: presentUser(row) };
    },
  }),
  route({
    method: 'PATCH',
    url: '/api/v1/me',
    summary: 'Change your display name.',
    tag: 'users',
    auth: 'user',
    body: UpdateMeBody,
    response: UserResponse,
    handler: async ({ services, actor, body }) => ({
      user: presentUser(await updateProfile(services, actor.userId, body)),
    }),
  }),
  route({
    method: 'POST',
    url: '/api/v1/me/password',
    summary: 'Change your password (needs the current one); signs out every other session.',
    tag: 'users',
    auth: 'user',
    scope: 'admin',
    body: ChangePasswordBody,
    // Checking the current password is a guessing oracle: limit it like sign-in.
    rateLimit: 'login',
    handler: async ({ services, actor, body }) => {
      await changePassword(services, actor, body.currentPassword, body.newPassword);
      return undefined;
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/users/:userId',
    summary: 'A person you share a workspace with (anyone else is USER_NOT_FOUND).',
    tag: 'users',
    auth: 'user',
    params: UserParams,
    response: UserResponse,
    handler: async ({ services, actor, params }) => {
      const row = await services.stores.directory
        .selectFrom('users as u')
        .select(USER_COLUMNS.map((c) => `u.${c}` as const))
        .where('u.id', '=', params.userId)
        .where((eb) =>
          eb.or([
            eb('u.id', '=', actor.userId),
            eb.exists(
              eb
                .selectFrom('workspace_members as theirs')
                .innerJoin('workspace_members as mine', 'mine.workspace_id', 'theirs.workspace_id')
                .select('theirs.user_id')
                .whereRef('theirs.user_id', '=', 'u.id')
                .where('mine.user_id', '=', actor.userId),
            ),
          ]),
        )
        .executeTakeFirst();
      if (!row) throw new AppError('USER_NOT_FOUND');
      return { user: presentUser(row) };
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/users/:userId/deactivate',
    summary:
      'Deactivate an account: its sessions and tokens are revoked and its live connections closed at once. Instance admins, or owners/admins of a workspace the person belongs to.',
    tag: 'users',
    auth: 'user',
    scope: 'admin',
    params: UserParams,
    response: UserResponse,
    handler: async ({ services, actor, params }) => {
      await assertMayManageUser(services, actor, params.userId);
      return { user: presentUser(await deactivateUser(services, actor.userId, params.userId)) };
    },
  }),
  route({
    method: 'POST',
    url: '/api/v1/users/:userId/reactivate',
    summary: 'Let a deactivated account sign in again (its old sessions and tokens stay revoked).',
    tag: 'users',
    auth: 'user',
    scope: 'admin',
    params: UserParams,
    response: UserResponse,
    handler: async ({ services, actor, params }) => {
      await assertMayManageUser(services, actor, params.userId);
      return { user: presentUser(await reactivateUser(services, actor.userId, params.userId)) };
    },
  }),
];
