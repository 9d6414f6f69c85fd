import type { Recognizer } from './recognizer.ts';

/**
 * The keyword half of the prefilter (SPEC R7): recognizers that report nothing without a context
 * word list lower-case fragments in `requires`; one combined regular expression finds which
 * fragments occur, so each message is scanned once for all of them instead of once per
 * recognizer. Fragments only need a word start on the left ("android_id" still shows "android").
 */
export interface KeywordPrefilter {
  /** Returns, per recognizer index, whether it may run. */
  allowed(text: string): boolean[];
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function buildKeywordPrefilter(recognizers: readonly Recognizer[]): KeywordPrefilter {
  const owners = new Map<string, number[]>();
  const nonAscii: Array<[string, number]> = [];
  recognizers.forEach((r, index) => {
    for (const fragment of r.requires ?? []) {
      if (/[\u0080-\uffff]/.test(fragment)) nonAscii.push([fragment, index]);
      else owners.set(fragment, [...(owners.get(fragment) ?? []), index]);
    }
  });
  const fragments = [...owners.keys()].sort((a, b) => b.length - a.length);
  const matcher =
    fragments.length > 0 ? new RegExp(`\\b(?:${fragments.map(escapeRegex).join('|')})`, 'gi') : null;
  const ungated = recognizers.map((r) => !r.requires);
  return {
    allowed(text: string): boolean[] {
      const allowed = [...ungated];
      for (const [fragment, index] of nonAscii) if (text.includes(fragment)) allowed[index] = true;
      if (!matcher) return allowed;
      matcher.lastIndex = 0;
      for (let m = matcher.exec(text); m; m = matcher.exec(text)) {
        for (const index of owners.get(m[0].toLowerCase()) ?? []) allowed[index] = true;
      }
      return allowed;
    },
  };
}
