import { createHash } from 'node:crypto';
import { AppError } from '../lib/errors.ts';
import { isUuid } from '../lib/ids.ts';

/**
 * Where a page of results ended, in the one total order every region sorts by:
 * score descending, then created_at descending, then id descending. The
 * timestamp keeps PostgreSQL's microseconds (a JS Date would drop them and
 * skip or repeat rows). The query fingerprint stops a cursor being replayed
 * against a different query, where it would silently mean nothing.
 */
export interface SearchPosition {
  score: number;
  /** created_at as UTC ISO text with microseconds: fixed width, so it sorts as text. */
  createdAt: string;
  id: string;
}

const CREATED_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export function queryFingerprint(workspaceId: string, q: string): string {
  return createHash('sha256').update(`${workspaceId}\n${q}`).digest('base64url').slice(0, 10);
}

export function encodeCursor(pos: SearchPosition, fingerprint: string): string {
  return Buffer.from(`1|${pos.score}|${pos.createdAt}|${pos.id}|${fingerprint}`).toString('base64url');
}

export function decodeCursor(cursor: string, fingerprint: string): SearchPosition {
  const parts = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const [version, score, createdAt, id, print] = parts;
  const n = Number(score);
  if (
    parts.length !== 5 ||
    version !== '1' ||
    !score ||
    !Number.isFinite(n) ||
    !createdAt ||
    !CREATED_AT.test(createdAt) ||
    !id ||
    !isUuid(id) ||
    print !== fingerprint
  ) {
    throw new AppError('INVALID_CURSOR', 'The cursor is not valid for this search; start again without it.');
  }
  return { score: n, createdAt, id };
}

/** The shared total order: negative when `a` comes first. */
export function comparePositions(a: SearchPosition, b: SearchPosition): number {
  if (a.score !== b.score) return b.score - a.score;
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  if (a.id !== b.id) return a.id < b.id ? 1 : -1;
  return 0;
}
