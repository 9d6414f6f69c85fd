import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createDetector } from '@enclave/pii';
import type { Command } from 'commander';

// `enclave policy validate` and `enclave policy test` (docs/data-protection/policy.md,
// PO-10): the policy engine offline, on a YAML file and a JSON-lines file.
// Exit codes: 0 valid / every line decided, 1 invalid policy or bad input lines.

type Server = typeof import('@enclave/server');

async function loadPolicy(server: Server, file: string) {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const parsed = server.parsePolicy(text);
  if (!parsed.ok) {
    // file:line:column: path: problem — the shape editors and CI annotations understand.
    process.stderr.write(`${file}: ${parsed.issues.length} problem(s)\n`);
    for (const i of parsed.issues)
      process.stderr.write(`${file}:${i.line}:${i.column}: ${i.path ? `${i.path}: ` : ''}${i.problem}\n`);
    return null;
  }
  return parsed.policy;
}

/** Exits once stdout is flushed: other modules' exit hooks must not turn a failure into 0. */
async function exitWith(code: number): Promise<void> {
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  process.exit(code);
}

export function registerPolicyCommands(program: Command): void {
  const policy = program.command('policy').description('Validate and try out data-protection policies.');
  policy
    .command('validate')
    .description('Check a policy document; problems are printed with line and column.')
    .argument('<policy>', 'policy YAML file')
    .action(async (file: string) => {
      const server = await import('@enclave/server');
      const p = await loadPolicy(server, file);
      if (!p) return exitWith(1);
      process.stdout.write(
        `${file}: valid policy "${p.name}" (labels ${p.labels.join(' < ')}; ${p.document.rules.length} rules)\n`,
      );
    });
  policy
    .command('test')
    .description(
      'Decide JSON lines {"id","text","label"} with a policy; prints counts per action and label (--verbose: each message)',
    )
    .argument('<policy>', 'policy YAML file')
    .argument('<messages>', 'JSON-lines file; "-" for stdin')
    .option('--verbose', 'print the decision for every message (types, spans, actions; never the values)')
    .action(async (file: string, messages: string, options: { verbose?: boolean }) => {
      const server = await import('@enclave/server');
      const p = await loadPolicy(server, file);
      if (!p) return exitWith(1);
      const detector = createDetector();
      const byAction = new Map(server.ACTION_ORDER.map((a) => [a, 0]));
      const byLabel = new Map<string, Map<string, number>>();
      const input = messages === '-' ? process.stdin : createReadStream(messages, 'utf8');
      let lineNo = 0;
      let errors = 0;
      const bad = (problem: string) => {
        errors++;
        process.stderr.write(`${messages}:${lineNo}: ${problem}\n`);
      };
      try {
        for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
          lineNo++;
          if (line.trim() === '') continue;
          let r: { id?: unknown; text?: unknown; label?: unknown };
          try {
            r = JSON.parse(line);
          } catch {
            bad('not valid JSON');
            continue;
          }
          if (typeof r !== 'object' || r === null || Array.isArray(r)) {
            bad('expected an object {"id", "text", "label"}');
            continue;
          }
          if (typeof r.id !== 'string' && typeof r.id !== 'number') bad('"id" must be a string or number');
          else if (typeof r.text !== 'string') bad('"text" must be a string');
          else if (typeof r.label !== 'string') bad('"label" must be a string');
          else if (!p.rank.has(r.label)) bad(`unknown label "${r.label}" (labels: ${p.labels.join(', ')})`);
          else {
            const d = server.decide(p, r.label, detector.scan(r.text));
            byAction.set(d.action, (byAction.get(d.action) ?? 0) + 1);
            const l = byLabel.get(r.label) ?? new Map(server.ACTION_ORDER.map((a) => [a, 0]));
            byLabel.set(r.label, l);
            l.set(d.action, (l.get(d.action) ?? 0) + 1);
            if (options.verbose) {
              process.stdout.write(`${r.id} [${r.label}] ${d.action}: ${d.explanation}\n`);
              for (const f of d.findings)
                process.stdout.write(
                  `    ${f.type} ${f.start}-${f.end} score ${f.score.toFixed(2)} (${f.band}) -> ${f.action} [${f.ruleId}]\n`,
                );
            }
          }
        }
      } catch (err) {
        throw new Error(
          `cannot read ${messages}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        );
      }
      const counts = (m: Map<string, number>) =>
        server.ACTION_ORDER.map((a) => `${a} ${m.get(a) ?? 0}`).join(', ');
      process.stdout.write(`policy "${p.name}": ${counts(byAction)}\n`);
      for (const label of p.labels) {
        const l = byLabel.get(label);
        if (l) process.stdout.write(`  ${label}: ${counts(l)}\n`);
      }
      if (errors > 0) {
        process.stderr.write(`${errors} bad input line(s)\n`);
        return exitWith(1);
      }
    });
}
