import type { Candidate } from './scan-context.ts';

/**
 * Deterministic overlap resolution (SPEC R5): candidates are ranked by score, then specificity,
 * then length, then position, then type name; each is kept only if it overlaps nothing ranked
 * above it. The result is sorted by start offset.
 */
export function resolveOverlaps(candidates: Candidate[]): Candidate[] {
  if (candidates.length <= 1) return candidates;
  const ranked = [...candidates].sort(
    (a, b) =>
      round(b.score) - round(a.score) ||
      b.specificity - a.specificity ||
      b.end - b.start - (a.end - a.start) ||
      a.start - b.start ||
      (a.type < b.type ? -1 : a.type > b.type ? 1 : 0),
  );
  const kept: Candidate[] = [];
  for (const c of ranked) {
    if (!kept.some((k) => k.start < c.end && c.start < k.end)) kept.push(c);
  }
  return kept.sort((a, b) => a.start - b.start || a.end - b.end);
}

function round(score: number): number {
  return Math.round(score * 100) / 100;
}
