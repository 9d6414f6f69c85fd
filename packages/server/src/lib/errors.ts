import { ERROR_CATALOGUE, type ErrorCode, type FieldIssue } from '@enclave/protocol';

/** The only error type routes throw on purpose. Messages must never include user content. */
export class AppError extends Error {
  override name = 'AppError';
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly extra: { issues?: FieldIssue[]; details?: Record<string, unknown> } = {},
  ) {
    super(message ?? ERROR_CATALOGUE[code].message);
    this.status = ERROR_CATALOGUE[code].status;
  }
}

export const fail = (code: ErrorCode, message?: string, extra?: AppError['extra']): never => {
  throw new AppError(code, message, extra);
};

/** PostgreSQL unique violation, e.g. a race between two identical creates. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: string; constraint?: string };
  return e?.code === '23505' && (!constraint || e.constraint === constraint);
}
