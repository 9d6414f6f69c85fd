import type { ColumnType, Generated } from 'kysely';

// Row types for Kysely. Keep in step with migrations/ (the integration tests
// would fail on any mismatch the moment a query touches it).

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface DirectoryDB {
  users: {
    id: string;
    email: string | null;
    display_name: string;
    kind: 'human' | 'bot';
    password_hash: string | null;
    instance_role: Generated<'admin' | 'user'>;
    created_at: Timestamp;
    deactivated_at: NullableTimestamp;
    country: string | null;
    org_unit: string | null;
    clearance: Generated<number>;
    duties: Generated<('reviewer' | 'auditor')[]>;
    attributes_updated_at: NullableTimestamp;
  };
  sessions: {
    id: string;
    token_hash: Buffer;
    user_id: string;
    csrf_token: string;
    user_agent: string | null;
    created_at: Timestamp;
    last_seen_at: Timestamp;
    expires_at: Timestamp;
    revoked_at: NullableTimestamp;
  };
  access_tokens: {
    id: string;
    token_hash: Buffer;
    user_id: string;
    kind: 'personal' | 'bot';
    name: string;
    scopes: string[];
    created_by: string;
    created_at: Timestamp;
    last_used_at: NullableTimestamp;
    expires_at: NullableTimestamp;
    revoked_at: NullableTimestamp;
  };
  setup_tokens: { token_hash: Buffer; created_at: Timestamp; used_at: NullableTimestamp };
  workspaces: {
    id: string;
    name: string;
    slug: string;
    home_region: string;
    created_by: string;
    created_at: Timestamp;
  };
  workspace_members: {
    workspace_id: string;
    user_id: string;
    role: 'owner' | 'admin' | 'member' | 'guest';
    joined_at: Timestamp;
  };
  invitations: {
    id: string;
    workspace_id: string;
    token_hash: Buffer;
    role: 'admin' | 'member' | 'guest';
    created_by: string;
    created_at: Timestamp;
    expires_at: Timestamp;
    max_uses: number;
    uses: Generated<number>;
    revoked_at: NullableTimestamp;
  };
  channels: {
    id: string;
    workspace_id: string;
    region: string;
    kind: 'public' | 'private' | 'dm' | 'group_dm';
    name_key: string | null;
    dm_key: string | null;
    created_at: Timestamp;
  };
  audit_events: AuditRow & { workspace_id: string | null };
  audit_chain_head: AuditChainHeadRow;
  audit_checkpoints: AuditCheckpointRow;
  audit_signing_keys: AuditSigningKeyRow;
  /** Data-protection policy versions (protection/policy/store.ts). */
  policy_versions: {
    version: number;
    name: string;
    yaml: string;
    sha256: string;
    created_by: string | null;
    created_at: Timestamp;
    activated_at: NullableTimestamp;
    active: Generated<boolean>;
  };
}

interface AuditRow {
  id: Generated<number>;
  seq: number;
  at: Timestamp;
  actor_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  outcome: 'allowed' | 'denied' | 'error';
  details: ColumnType<unknown, string | undefined, string>;
  prev_hash: Buffer;
  hash: Buffer;
}

// Hash-chained audit log (src/audit/): one chain per database.
interface AuditChainHeadRow {
  singleton: Generated<boolean>;
  chain_id: Generated<string>;
  store: string | null;
  seq: number;
  hash: Buffer;
  checkpoint_seq: number;
  checkpoint_at: Timestamp;
}
interface AuditCheckpointRow {
  seq: number;
  store: string;
  hash: Buffer;
  at: Timestamp;
  key_id: string;
  signature: Buffer;
}
interface AuditSigningKeyRow {
  key_id: string;
  store: string;
  public_key: string;
  created_at: Timestamp;
}

export interface RegionDB {
  channels: {
    id: string;
    workspace_id: string;
    kind: 'public' | 'private' | 'dm' | 'group_dm';
    name: string;
    topic: Generated<string>;
    purpose: Generated<string>;
    created_by: string;
    created_at: Timestamp;
    archived_at: NullableTimestamp;
    last_seq: Generated<number>;
    member_count: Generated<number>;
    /** Classification label (protection/policy). */
    label: Generated<string>;
  };
  channel_members: {
    channel_id: string;
    user_id: string;
    role: 'owner' | 'admin' | 'member';
    joined_at: Timestamp;
  };
  messages: {
    id: string;
    channel_id: string;
    seq: number;
    author_id: string;
    client_msg_id: string;
    text: string;
    thread_root_id: string | null;
    reply_count: Generated<number>;
    last_reply_at: NullableTimestamp;
    mention_user_ids: ColumnType<string[], string[] | undefined, string[]>;
    mentions_channel: Generated<boolean>;
    mentions_here: Generated<boolean>;
    created_at: Timestamp;
    edited_at: NullableTimestamp;
    deleted_at: NullableTimestamp;
    search: ColumnType<string, never, never>;
  };
  message_edits: {
    id: Generated<number>;
    message_id: string;
    text: string;
    editor_id: string;
    edited_at: Timestamp;
  };
  reactions: { message_id: string; emoji: string; user_id: string; created_at: Timestamp };
  mentions: { message_id: string; channel_id: string; user_id: string; seq: number };
  pins: { message_id: string; channel_id: string; pinned_by: string; pinned_at: Timestamp };
  thread_follows: {
    root_id: string;
    user_id: string;
    channel_id: string;
    following: boolean;
    last_read_seq: Generated<number>;
    updated_at: Timestamp;
  };
  read_states: { channel_id: string; user_id: string; last_read_seq: number; updated_at: Timestamp };
  channel_events: {
    channel_id: string;
    seq: number;
    type: string;
    payload: ColumnType<unknown, string, string>;
    created_at: Timestamp;
  };
  audit_events: AuditRow & { channel_id: string | null };
  audit_chain_head: AuditChainHeadRow;
  audit_checkpoints: AuditCheckpointRow;
  audit_signing_keys: AuditSigningKeyRow;
  vault_subjects: {
    id: string;
    kind: 'identified' | 'message';
    subject_ref: Buffer | null;
    ref_type: string | null;
    origin_message_id: string | null;
    wrapped_key: Buffer | null;
    kek_id: string;
    created_at: Timestamp;
    erased_at: NullableTimestamp;
    erased_by: string | null;
    erased_value_count: number | null;
    erasure_audit_seq: number | null;
  };
  vault_values: {
    token_id: string;
    subject_id: string;
    channel_id: string;
    message_id: string | null;
    entity_type: string;
    ciphertext: Buffer | null;
    nonce: Buffer | null;
    tag: Buffer | null;
    mask: string;
    created_at: Timestamp;
  };
  vault_reveals: {
    id: Generated<number>;
    token_id: string;
    subject_id: string;
    channel_id: string;
    message_id: string | null;
    entity_type: string;
    actor_id: string;
    outcome: 'revealed' | 'denied' | 'erased';
    reason: string | null;
    justification: string | null;
    at: Timestamp;
    expires_at: NullableTimestamp;
  };
  quarantined_messages: {
    id: string;
    channel_id: string;
    author_id: string;
    client_msg_id: string;
    thread_root_id: string | null;
    wrapped_key: Buffer | null;
    ciphertext: Buffer | null;
    nonce: Buffer | null;
    tag: Buffer | null;
    decision: ColumnType<QuarantineDecision, string, string>;
    status: 'pending' | 'approved' | 'rejected';
    reviewer_id: string | null;
    reviewed_at: NullableTimestamp;
    review_reason: string | null;
    delivered_message_id: string | null;
    created_at: Timestamp;
  };
}

/** What the policy decided about a held message: types, actions, policy version, never a value. */
export interface QuarantineDecision {
  policyVersion: number | null;
  explanation: string;
  findings: { type: string; start: number; end: number; action: string; explanation: string }[];
}
