// The one error catalogue. Every 4xx/5xx the server sends carries one of these
// codes in `{ "error": { "code", "message" } }`. docs/errors.md lists the same
// codes; test/errors-doc.test.ts keeps the two in step.

export interface ErrorSpec {
  readonly status: number;
  readonly message: string;
}

export const ERROR_CATALOGUE = {
  // 400: the request itself is malformed
  VALIDATION_FAILED: { status: 400, message: 'The request does not match the expected schema.' },
  INVALID_JSON: { status: 400, message: 'The request body is not valid JSON.' },
  INVALID_ID: { status: 400, message: 'An identifier in the request is not a valid id.' },
  INVALID_CURSOR: { status: 400, message: 'The pagination cursor is not valid.' },
  INVALID_SEARCH_QUERY: { status: 400, message: 'The search query could not be understood.' },
  MESSAGE_TOO_LONG: { status: 400, message: 'The message is longer than the allowed maximum.' },
  MESSAGE_EMPTY: { status: 400, message: 'A message needs some text.' },
  POLICY_INVALID: { status: 400, message: 'The policy document is not valid; see the issues.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'The request body must be application/json.' },
  BODY_TOO_LARGE: { status: 413, message: 'The request body is larger than the allowed maximum.' },

  // 401: who are you?
  AUTH_REQUIRED: { status: 401, message: 'Sign in to continue.' },
  SESSION_EXPIRED: { status: 401, message: 'Your session has expired or was revoked; sign in again.' },
  INVALID_CREDENTIALS: { status: 401, message: 'The email or password is not correct.' },
  INVALID_TOKEN: { status: 401, message: 'The access token is not valid, expired or revoked.' },

  // 403: we know who you are, and the answer is no
  CSRF_FAILED: { status: 403, message: 'The CSRF token is missing or does not match the session.' },
  FORBIDDEN: { status: 403, message: 'You do not have permission to do this.' },
  TOKEN_SCOPE_MISSING: { status: 403, message: 'The access token lacks the scope this request needs.' },
  ACCOUNT_DEACTIVATED: { status: 403, message: 'This account has been deactivated.' },
  ORIGIN_NOT_ALLOWED: { status: 403, message: 'The request origin is not allowed.' },
  CHANNEL_ARCHIVED: { status: 403, message: 'The channel is archived; unarchive it first.' },
  NOT_CHANNEL_MEMBER: { status: 403, message: 'Join the channel to do this.' },
  GUEST_NOT_ALLOWED: { status: 403, message: 'Guests cannot do this.' },
  MEMBER_NOT_ELIGIBLE: {
    status: 403,
    message:
      "The channel's membership rules do not admit these people; details.people says which rule each one misses.",
  },
  CHANNEL_ACCESS_SUSPENDED: {
    status: 403,
    message:
      "You no longer meet this channel's membership rules, so you cannot use it until an administrator changes that.",
  },
  LABEL_CHANGE_FORBIDDEN: {
    status: 403,
    message: "The policy does not let you change this channel's label that way.",
  },

  // 404: not found, or not yours to know about (existence is never revealed)
  NOT_FOUND: { status: 404, message: 'No such resource.' },
  WORKSPACE_NOT_FOUND: { status: 404, message: 'No such workspace.' },
  CHANNEL_NOT_FOUND: { status: 404, message: 'No such channel.' },
  MESSAGE_NOT_FOUND: { status: 404, message: 'No such message.' },
  USER_NOT_FOUND: { status: 404, message: 'No such user.' },
  INVITATION_NOT_FOUND: {
    status: 404,
    message: 'The invitation does not exist, has expired or was revoked.',
  },
  SETUP_NOT_AVAILABLE: { status: 404, message: 'Setup has already been completed or the link is not valid.' },
  ROUTE_NOT_FOUND: { status: 404, message: 'No such endpoint.' },
  VAULT_VALUE_NOT_FOUND: { status: 404, message: 'No such vaulted value in this message.' },
  SUBJECT_NOT_FOUND: { status: 404, message: 'No such data subject.' },
  QUARANTINE_NOT_FOUND: { status: 404, message: 'No such held message.' },

  // 405 / 409: state conflicts
  METHOD_NOT_ALLOWED: { status: 405, message: 'This method is not allowed on this endpoint.' },
  EMAIL_TAKEN: { status: 409, message: 'An account with this email already exists.' },
  CHANNEL_NAME_TAKEN: { status: 409, message: 'A channel with this name already exists in the workspace.' },
  ALREADY_MEMBER: { status: 409, message: 'The user is already a member.' },
  LAST_OWNER: {
    status: 409,
    message: 'The last owner cannot leave or be demoted; transfer ownership first.',
  },
  CLIENT_ID_REUSED: {
    status: 409,
    message: 'This client message id was already used for a different message.',
  },
  NOT_SUPPORTED_FOR_DM: { status: 409, message: 'Direct messages do not support this operation.' },
  MESSAGE_DELETED: { status: 409, message: 'The message has been deleted.' },
  SUBJECT_ALREADY_ERASED: { status: 409, message: 'This data subject has already been erased.' },
  CHANNEL_MEMBER_LIMIT: {
    status: 409,
    message: 'The channel is at the member limit its label allows; details.limit says how many.',
  },
  CHANNEL_CHANGED: {
    status: 409,
    message: 'The channel changed meanwhile (for example its label); reload it and try again.',
  },
  QUARANTINE_ALREADY_REVIEWED: { status: 409, message: 'This held message has already been reviewed.' },
  QUARANTINE_UNDELIVERABLE: {
    status: 409,
    message:
      'The author can no longer post this message there (left, deactivated or archived); reject it instead.',
  },

  // 410 / 422: gone, or understood but refused
  VALUE_ERASED: {
    status: 410,
    message: 'The value was erased (its data subject was crypto-shredded) and can never be revealed.',
  },
  JUSTIFICATION_CONTAINS_PII: {
    status: 422,
    message: 'The justification contains personal data; describe the reason without it.',
  },

  // 409/422: the data-protection policy stopped the content (docs/data-protection/pipeline.md)
  POLICY_CONFIRM_REQUIRED: {
    status: 409,
    message:
      'This contains personal data the policy asks you to confirm; resend with the confirmation token and a justification.',
  },
  POLICY_BLOCKED: { status: 422, message: 'The data-protection policy does not allow this content here.' },

  // 429: slow down
  RATE_LIMITED: { status: 429, message: 'Too many requests; try again later.' },

  // 5xx: our fault
  INTERNAL: { status: 500, message: 'Something went wrong on our side.' },
  NOT_READY: { status: 503, message: 'The server is not ready to serve requests.' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

/** One field problem inside a VALIDATION_FAILED error. Never echoes the value. */
export interface FieldIssue {
  path: string;
  problem: string;
}

export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    requestId?: string;
    issues?: FieldIssue[];
    details?: Record<string, unknown>;
  };
}
