import { createDetector, type Detector } from '@enclave/pii';
import { AppError } from '../../lib/errors.ts';

// A justification is staff-written ("ticket 4411, identity check for appeal"),
// but people paste what they are looking at. It is stored and shown to auditors,
// so it must not become a second copy of the data (VA-13): one that holds
// personal data is refused, and only the types found are reported.

let detector: Detector | null = null;

export function justificationPiiTypes(text: string): string[] {
  detector ??= createDetector();
  return [...new Set(detector.scan(text).map((f) => f.type))];
}

export function checkJustification(text: string): void {
  const types = justificationPiiTypes(text);
  if (types.length) {
    throw new AppError('JUSTIFICATION_CONTAINS_PII', undefined, { details: { types } });
  }
}
