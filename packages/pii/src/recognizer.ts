import type { Candidate, ScanContext, TextFeatures } from './scan-context.ts';

/**
 * A recognizer = candidate pattern(s) + validator + context words + score bands (SPEC R2).
 * `gate` is the prefilter: it looks only at features computed once per scan and must be cheap;
 * `find` runs only when the gate passes.
 */
export interface Recognizer {
  /** Stable detector name reported in findings. */
  readonly name: string;
  /** Entity types this recognizer can emit (used to skip it when all are disabled). */
  readonly types: readonly string[];
  gate(features: TextFeatures): boolean;
  /**
   * For recognizers that report nothing without a context word: lower-case fragments of which at
   * least one must occur in the text before `find` runs (a substring prefilter, SPEC R7).
   */
  readonly requires?: readonly string[];
  find(ctx: ScanContext, out: Candidate[]): void;
}

/** Raises a base score when context was found, never above 1. */
export function withContext(base: number, boosted: number, word: string | null): number {
  return word ? Math.max(base, boosted) : base;
}

export function contextNote(word: string | null): string {
  return word ? `; context "${word}"` : '; no context word';
}
