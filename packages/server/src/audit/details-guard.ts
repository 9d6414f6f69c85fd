import { createDetector, type Detector } from '@enclave/pii';

// AU-4: audit details hold ids, roles, counts and field names, never content.
// This guard makes that a property of the code, not a convention: a caller
// that passes a long string or anything the PII detector recognises fails
// loudly (its whole transaction rolls back) instead of leaking the value
// into a log that can never be edited.

export const MAX_DETAIL_STRING = 200;
const MAX_DEPTH = 4;
const MAX_NODES = 200;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class UnsafeAuditDetails extends Error {
  override name = 'UnsafeAuditDetails';
}

let detector: Detector | null = null;
function scan(text: string) {
  detector ??= createDetector();
  return detector.scan(text);
}

/**
 * Throws UnsafeAuditDetails if `details` could carry raw content. The error
 * names the path and the reason, never the value.
 */
export function assertSafeDetails(details: unknown, path = 'details', depth = 0, count = { n: 0 }): void {
  if (++count.n > MAX_NODES) throw new UnsafeAuditDetails(`${path}: too many values for an audit entry`);
  if (details === null || typeof details === 'boolean') return;
  if (typeof details === 'number') {
    if (!Number.isFinite(details)) throw new UnsafeAuditDetails(`${path}: numbers must be finite`);
    return;
  }
  if (typeof details === 'string') {
    if (details.length > MAX_DETAIL_STRING)
      throw new UnsafeAuditDetails(
        `${path}: strings longer than ${MAX_DETAIL_STRING} characters are content`,
      );
    // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL cannot be stored in jsonb
    if (/\u0000/.test(details)) throw new UnsafeAuditDetails(`${path}: NUL characters are not allowed`);
    if (UUID.test(details)) return; // our own ids
    const found = scan(details);
    if (found.length)
      throw new UnsafeAuditDetails(
        `${path}: looks like personal data (${[...new Set(found.map((f) => f.type))].join(', ')})`,
      );
    return;
  }
  if (depth >= MAX_DEPTH) throw new UnsafeAuditDetails(`${path}: nested too deeply`);
  if (Array.isArray(details)) {
    for (const [i, v] of details.entries()) assertSafeDetails(v, `${path}[${i}]`, depth + 1, count);
    return;
  }
  if (typeof details === 'object' && Object.getPrototypeOf(details) === Object.prototype) {
    for (const [k, v] of Object.entries(details)) {
      if (k.length > 64 || !/^[A-Za-z0-9_.-]+$/.test(k))
        throw new UnsafeAuditDetails(`${path}: keys must be short identifiers`);
      if (v === undefined) continue;
      assertSafeDetails(v, `${path}.${k}`, depth + 1, count);
    }
    return;
  }
  throw new UnsafeAuditDetails(`${path}: only JSON values are allowed (got ${typeof details})`);
}
