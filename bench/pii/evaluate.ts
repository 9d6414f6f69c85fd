import type { Example, Span } from './corpus.ts';

export interface TypeScore {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface Evaluation {
  perType: Record<string, TypeScore>;
  micro: TypeScore;
  macroF1: number;
  cleanMessages: number;
  cleanWithFinding: number;
  falsePositiveRate: number;
  errors: string[];
}

/** A prediction matches a gold span of the same type when their overlap is at least half their union. */
export function matches(a: Span, b: Span): boolean {
  if (a.type !== b.type) return false;
  const overlap = Math.min(a.end, b.end) - Math.max(a.start, b.start);
  const union = Math.max(a.end, b.end) - Math.min(a.start, b.start);
  return overlap > 0 && overlap / union >= 0.5;
}

function score(tp: number, fp: number, fn: number): TypeScore {
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { tp, fp, fn, precision, recall, f1 };
}

/**
 * Scores predictions against gold spans per type. `types` limits the comparison to the types both
 * sides share; predictions of other types are ignored.
 */
export function evaluate(
  examples: Example[],
  predict: (text: string) => Span[],
  types?: ReadonlySet<string>,
): Evaluation {
  const counts = new Map<string, { tp: number; fp: number; fn: number }>();
  const bump = (type: string, key: 'tp' | 'fp' | 'fn'): void => {
    const c = counts.get(type) ?? { tp: 0, fp: 0, fn: 0 };
    c[key]++;
    counts.set(type, c);
  };
  let clean = 0;
  let cleanWithFinding = 0;
  const errors: string[] = [];
  for (const ex of examples) {
    const gold = types ? ex.spans.filter((s) => types.has(s.type)) : ex.spans;
    const predicted = predict(ex.text).filter((p) => !types || types.has(p.type));
    const used = new Set<number>();
    for (const p of predicted) {
      const g = gold.findIndex((s, i) => !used.has(i) && matches(p, s));
      if (g >= 0) {
        used.add(g);
        bump(p.type, 'tp');
      } else {
        bump(p.type, 'fp');
        errors.push(`${ex.id} FP ${p.type} "${ex.text.slice(p.start, p.end)}"`);
      }
    }
    gold.forEach((s, i) => {
      if (used.has(i)) return;
      bump(s.type, 'fn');
      errors.push(`${ex.id} FN ${s.type} "${ex.text.slice(s.start, s.end)}"`);
    });
    if (ex.spans.length === 0) {
      clean++;
      if (predicted.length > 0) cleanWithFinding++;
    }
  }
  const perType: Record<string, TypeScore> = {};
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const [type, c] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
    perType[type] = score(c.tp, c.fp, c.fn);
    tp += c.tp;
    fp += c.fp;
    fn += c.fn;
  }
  const f1s = Object.values(perType).map((s) => s.f1);
  return {
    perType,
    micro: score(tp, fp, fn),
    macroF1: f1s.length ? f1s.reduce((a, b) => a + b, 0) / f1s.length : 0,
    cleanMessages: clean,
    cleanWithFinding,
    falsePositiveRate: clean ? cleanWithFinding / clean : 0,
    errors,
  };
}
