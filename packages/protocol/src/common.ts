import { z } from 'zod';

export const Id = z.uuid({ error: 'must be a UUID' });
export const IsoDate = z.iso.datetime({ offset: true });
export const Limit = z.coerce.number().int().min(1).max(200).default(50);

/** Channel-local sequence numbers are JS-safe integers (bigint in SQL). */
export const Seq = z.coerce.number().int().min(0);

export const REGION_ID = /^[a-z][a-z0-9-]{1,15}$/;
export const RegionId = z.string().regex(REGION_ID, 'must be a lower-case region id such as "us" or "eu"');

export const MAX_MESSAGE_LENGTH = 8000;
export const MAX_CHANNEL_NAME = 80;
export const MAX_TOPIC = 250;
export const MAX_PURPOSE = 250;

export const WorkspaceRole = z.enum(['owner', 'admin', 'member', 'guest']);
export type WorkspaceRole = z.infer<typeof WorkspaceRole>;

export const ChannelKind = z.enum(['public', 'private', 'dm', 'group_dm']);
export type ChannelKind = z.infer<typeof ChannelKind>;

/**
 * A channel's classification label. The set of labels comes from the active
 * policy (docs/data-protection/policy.md), so the protocol only fixes the shape.
 */
export const LabelName = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,31}$/, 'must be a label name: lower-case letters, digits, "-" and "_"');

export const ChannelRole = z.enum(['owner', 'admin', 'member']);
export type ChannelRole = z.infer<typeof ChannelRole>;

export const TokenScope = z.enum(['read', 'write', 'admin']);
export type TokenScope = z.infer<typeof TokenScope>;

/** Channel names: lower-case, digits, dash and underscore, as Slack and Mattermost do. */
export const ChannelName = z
  .string()
  .min(1)
  .max(MAX_CHANNEL_NAME)
  .regex(/^[\p{Ll}\p{Lo}\p{N}][\p{Ll}\p{Lo}\p{N}_-]*$/u, 'use lower-case letters, digits, "-" and "_"');

export const Email = z.email({ error: 'must be an email address' }).max(254);
export const Password = z.string().min(10, 'must be at least 10 characters').max(256);
export const DisplayName = z.string().trim().min(1).max(80);

/** Emoji reactions: a short name (":thumbsup:" style without colons) or one emoji grapheme. */
export const Emoji = z
  .string()
  .min(1)
  .max(64)
  .regex(/^([a-z0-9_+-]{1,64}|[^\s\p{L}\p{N}]{1,16})$/u, 'must be an emoji or a short emoji name');
