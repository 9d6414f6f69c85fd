import { computeFeatures } from './features.ts';
import { buildKeywordPrefilter } from './keyword-prefilter.ts';
import { type NormalisedText, normalise } from './normalize.ts';
import type { Recognizer } from './recognizer.ts';
import { createCustomRecognizer } from './recognizers/custom.ts';
import { builtInRecognizers } from './recognizers/index.ts';
import { createPlatformUserIdRecognizer } from './recognizers/platform-user-id.ts';
import { resolveOverlaps } from './resolve.ts';
import { type Candidate, ScanContext } from './scan-context.ts';
import { type Detector, type DetectorConfig, type Finding, type FindingType, SCORE_BANDS } from './types.ts';

/**
 * Builds a detector from configuration. Everything expensive (context matchers, custom patterns)
 * is compiled here once; `scan` is synchronous and allocation-light because the server calls it
 * on every write and the browser on every keystroke.
 */
export function createDetector(config: DetectorConfig = {}): Detector {
  const custom = (config.customRecognizers ?? []).map(createCustomRecognizer);
  const all: Recognizer[] = [
    ...builtInRecognizers,
    createPlatformUserIdRecognizer(config.platformUserId),
    ...custom,
  ];
  const enabled = config.enabledTypes ? new Set<FindingType>(config.enabledTypes) : null;
  const disabled = new Set<FindingType>(config.disabledTypes ?? []);
  const isOn = (type: FindingType): boolean => (!enabled || enabled.has(type)) && !disabled.has(type);
  const recognizers = all.filter((r) => r.types.some(isOn));
  const keywords = buildKeywordPrefilter(recognizers);
  const minScore = config.minScore ?? SCORE_BANDS.reportable;
  const minByType = config.minScoreByType ?? {};

  return {
    scan(text: string): Finding[] {
      if (typeof text !== 'string' || text.length === 0) return [];
      // The anchor pass (SPEC R7) runs first: most chat is plain ASCII, so normalisation, which
      // needs a non-ASCII unit or a '<', is skipped without another look at the text.
      let features = computeFeatures(text);
      let normalised: NormalisedText | null = null;
      if (features.nonAscii || features.lessThan > 0) {
        normalised = normalise(text);
        if (normalised.text !== text) features = computeFeatures(normalised.text);
      }
      const scanned = normalised ? normalised.text : text;
      let ctx: ScanContext | null = null;
      const candidates: Candidate[] = [];
      let allowed: boolean[] | null = null;
      for (let i = 0; i < recognizers.length; i++) {
        const r = recognizers[i] as Recognizer;
        if (!r.gate(features)) continue;
        if (r.requires) {
          allowed ??= keywords.allowed(scanned);
          if (!allowed[i]) continue;
        }
        ctx ??= new ScanContext(scanned, features);
        r.find(ctx, candidates);
      }
      if (candidates.length === 0) return [];
      // Overlaps are resolved before thresholds, so a weak reading of a span (an SSN-shaped
      // number that is really a phone) cannot survive just because the strong one was filtered.
      let considered = candidates;
      for (const c of candidates)
        if (!isOn(c.type) || c.score < 0.3) {
          considered = candidates.filter((k) => isOn(k.type) && k.score >= 0.3);
          break;
        }
      const kept = resolveOverlaps(considered);
      const findings: Finding[] = [];
      for (const c of kept) {
        if (c.score < (minByType[c.type] ?? minScore)) continue;
        const [start, end] = normalised ? normalised.toOriginal(c.start, c.end) : [c.start, c.end];
        findings.push({
          type: c.type,
          start,
          end,
          score: Math.round(c.score * 100) / 100,
          detector: c.detector,
          explanation: c.explanation,
        });
      }
      return findings;
    },
  };
}
