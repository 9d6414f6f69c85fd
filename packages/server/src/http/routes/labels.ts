import { ChangeLabelBody, ChannelResponse } from '@enclave/protocol';
import { channelFor } from '../../access/channels.ts';
import { changeChannelLabel } from '../../protection/policy/index.ts';
import { route } from '../route.ts';
import { ChannelParams } from './channels.ts';

export const labelRoutes = [
  route({
    method: 'PUT',
    url: '/api/v1/channels/:channelId/label',
    summary:
      "Change a channel's classification label (channel owners/admins or workspace admins, along the transitions the active policy allows).",
    tag: 'channels',
    auth: 'user',
    params: ChannelParams,
    body: ChangeLabelBody,
    response: ChannelResponse,
    handler: async ({ services, actor, params, body }) => {
      const access = await channelFor(services, actor, params.channelId, 'manage');
      return { channel: await changeChannelLabel(services, actor.userId, access, body.label) };
    },
  }),
];
