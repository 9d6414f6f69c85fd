import type { PolicyIssue } from '@enclave/protocol';
import { isMap, isNode, isPair, isScalar, LineCounter, parseDocument } from 'yaml';
import { type CompiledPolicy, compilePolicy } from './compile.ts';
import { crossCheck, type DocIssue, PolicyDocument } from './schema.ts';

export type ParseResult = { ok: true; policy: CompiledPolicy } | { ok: false; issues: PolicyIssue[] };

/** YAML anchors may be reused this often; more is an expansion attack, not a policy. */
const MAX_ALIASES = 100;

/**
 * Parses and validates a policy document (PO-1). Every problem carries the
 * 1-based line and column of the offending YAML node, the path inside the
 * document ("rules[3].types[1]") and what is wrong. Never throws on bad input.
 */
export function parsePolicy(text: string, version: number | null = null): ParseResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => {
    const p = lines.linePos(offset);
    return { line: p.line, column: p.col };
  };
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((e) => ({
        path: '',
        ...at(e.pos[0]),
        problem: `YAML: ${firstLine(e.message)}`,
      })),
    };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (err) {
    return {
      ok: false,
      issues: [{ path: '', line: 1, column: 1, problem: `YAML: ${firstLine((err as Error).message)}` }],
    };
  }
  const locate = (issue: DocIssue, atKey = false): PolicyIssue => ({
    path: formatPath(issue.path),
    ...at(offsetOf(doc, issue.path, atKey)),
    problem: issue.problem,
  });
  const parsed = PolicyDocument.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.flatMap((i): PolicyIssue[] => {
      const path = i.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
      if (i.code === 'unrecognized_keys')
        // Point at each unknown key itself, not at the map that holds it.
        return i.keys.map((k) => locate({ path: [...path, k], problem: `unknown field "${k}"` }, true));
      if (valueAt(data, path) === undefined)
        return [locate({ path, problem: `missing required field "${String(path.at(-1))}"` })];
      return [locate({ path, problem: i.message })];
    });
    return { ok: false, issues: sortIssues(issues) };
  }
  const problems = crossCheck(parsed.data);
  if (problems.length > 0) return { ok: false, issues: sortIssues(problems.map((p) => locate(p))) };
  return { ok: true, policy: compilePolicy(parsed.data, text, version) };
}

/** Like parsePolicy, for text that is known to be valid (stored versions): throws otherwise. */
export function mustParsePolicy(text: string, version: number | null = null): CompiledPolicy {
  const r = parsePolicy(text, version);
  if (!r.ok) throw new Error(`stored policy ${version ?? ''} is invalid: ${formatIssues(r.issues)}`);
  return r.policy;
}

export function formatIssues(issues: readonly PolicyIssue[]): string {
  return issues
    .map((i) => `line ${i.line}, column ${i.column}: ${i.path ? `${i.path}: ` : ''}${i.problem}`)
    .join('\n');
}

/** rules[3].types[1] */
export function formatPath(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/**
 * Where a path points in the source: the value's node, or for a key that
 * should not be there the key itself; for a missing key, the nearest parent.
 */
function offsetOf(
  doc: ReturnType<typeof parseDocument>,
  path: readonly (string | number)[],
  atKey: boolean,
): number {
  let node: unknown = doc.contents;
  let best = rangeStart(node) ?? 0;
  for (const [n, step] of path.entries()) {
    if (!isNode(node) && !isPair(node)) break;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(step));
      if (!pair) break;
      const onKey = atKey && n === path.length - 1;
      best = (onKey ? rangeStart(pair.key) : (rangeStart(pair.value) ?? rangeStart(pair.key))) ?? best;
      node = pair.value;
      continue;
    }
    const items = (node as { items?: unknown[] }).items;
    if (!Array.isArray(items) || typeof step !== 'number' || !items[step]) break;
    node = items[step];
    best = rangeStart(node) ?? best;
  }
  return best;
}

function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
  let v = data;
  for (const step of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[step];
  }
  return v;
}

function rangeStart(node: unknown): number | undefined {
  return isNode(node) && node.range ? node.range[0] : undefined;
}

function sortIssues(issues: PolicyIssue[]): PolicyIssue[] {
  return issues.sort((a, b) => a.line - b.line || a.column - b.column);
}

function firstLine(message: string): string {
  return message.split('\n')[0]!;
}
