import { RE2JS } from 're2js';
import { compileContext } from '../context.ts';
import { contextNote, type Recognizer } from '../recognizer.ts';
import type { CustomRecognizerConfig } from '../types.ts';

export class CustomPatternError extends Error {
  constructor(name: string, reason: string) {
    super(`custom recognizer "${name}": ${reason}`);
    this.name = 'CustomPatternError';
  }
}

/**
 * Custom recognizers come from configuration and so are untrusted (SPEC R9): the pattern is
 * compiled with RE2 (linear time, no backreferences or lookaround), and rejected with a clear
 * error when it does not compile or matches the empty string.
 */
export function createCustomRecognizer(config: CustomRecognizerConfig): Recognizer {
  if (!config.name || !/^[A-Za-z0-9_.-]{1,64}$/.test(config.name))
    throw new CustomPatternError(String(config.name), 'name must be 1-64 of [A-Za-z0-9_.-]');
  if (typeof config.pattern !== 'string' || config.pattern.length === 0 || config.pattern.length > 2000)
    throw new CustomPatternError(
      config.name,
      'pattern must be a non-empty string of at most 2000 characters',
    );
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(config.pattern, config.caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (error) {
    throw new CustomPatternError(
      config.name,
      `pattern rejected by the linear-time engine: ${(error as Error).message}`,
    );
  }
  if (compiled.matches('')) throw new CustomPatternError(config.name, 'pattern matches the empty string');
  const score = config.score ?? 0.6;
  const contextScore = config.contextScore ?? Math.min(1, score + 0.3);
  const context =
    config.contextWords && config.contextWords.length > 0 ? compileContext(config.contextWords) : null;
  const detector = `custom:${config.name}`;
  return {
    name: detector,
    types: [config.type],
    gate: () => true,
    find(ctx, out) {
      const m = compiled.matcher(ctx.text);
      while (m.find()) {
        const start = m.start();
        const end = m.end();
        if (end === start) continue;
        const word = context ? ctx.context(start, end, context) : null;
        if (config.requireContext && !word) continue;
        out.push({
          type: config.type,
          start,
          end,
          score: word ? contextScore : score,
          detector,
          explanation: `custom pattern "${config.name}"${context ? contextNote(word) : ''}`,
          specificity: 1,
        });
      }
    },
  };
}
