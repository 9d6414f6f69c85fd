import { createDetector, type DetectorConfig, type Finding } from '../src/index.ts';

const shared = createDetector();

/** Findings as [type, matched text] pairs, for readable assertions. */
export function found(text: string, config?: DetectorConfig): Array<[string, string]> {
  const detector = config ? createDetector(config) : shared;
  return detector.scan(text).map((f: Finding) => [f.type, text.slice(f.start, f.end)]);
}

export function typesIn(text: string): string[] {
  return shared.scan(text).map((f) => f.type);
}
