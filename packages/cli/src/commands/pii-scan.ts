import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createDetector, type Detector, ENTITY_TYPES, type Finding } from '@enclave/pii';
import { type Command, InvalidArgumentError } from 'commander';

interface ScanOptions {
  jsonl?: boolean;
  minScore?: number;
  types?: string[];
}

function parseMinScore(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1)
    throw new InvalidArgumentError(`--min-score must be a number from 0 to 1, got "${value}"`);
  return n;
}

function parseTypes(value: string): string[] {
  const types = value
    .split(',')
    .map((t) => t.trim().toUpperCase())
    .filter((t) => t.length > 0);
  const unknown = types.filter((t) => !(ENTITY_TYPES as readonly string[]).includes(t));
  if (types.length === 0 || unknown.length > 0)
    throw new InvalidArgumentError(
      `--types: unknown type(s) ${unknown.join(', ') || '(none given)'}; known: ${ENTITY_TYPES.join(', ')}`,
    );
  return types;
}

/** The text with each finding marked in place: ⟦TYPE 0.97⟧value⟦/⟧. */
export function markFindings(text: string, findings: readonly Finding[]): string {
  let out = '';
  let at = 0;
  for (const f of findings) {
    out += `${text.slice(at, f.start)}⟦${f.type} ${f.score.toFixed(2)}⟧${text.slice(f.start, f.end)}⟦/⟧`;
    at = f.end;
  }
  return out + text.slice(at);
}

async function readAll(file: string | undefined): Promise<string> {
  if (file && file !== '-') return readFile(file, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function scanReadable(detector: Detector, text: string): void {
  const findings = detector.scan(text);
  process.stdout.write(`${markFindings(text, findings)}${text.endsWith('\n') ? '' : '\n'}`);
  process.stdout.write(`\n${findings.length} finding(s)\n`);
  for (const f of findings)
    process.stdout.write(
      `  ${f.type.padEnd(18)} ${String(f.start).padStart(6)}-${String(f.end).padEnd(6)} ${f.score.toFixed(2)}  ${f.detector}: ${f.explanation}\n`,
    );
}

/** One JSON line in, one out, in input order; a bad line is reported by number and skipped. */
async function scanJsonl(detector: Detector, file: string | undefined): Promise<number> {
  const input = file && file !== '-' ? createReadStream(file, 'utf8') : process.stdin;
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNo = 0;
  let errors = 0;
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (error) {
      errors++;
      process.stderr.write(
        `enclave pii scan: line ${lineNo}: not valid JSON (${(error as Error).message})\n`,
      );
      continue;
    }
    const r = record as { id?: unknown; text?: unknown };
    if (
      typeof record !== 'object' ||
      record === null ||
      Array.isArray(record) ||
      (typeof r.id !== 'string' && typeof r.id !== 'number') ||
      typeof r.text !== 'string'
    ) {
      errors++;
      process.stderr.write(
        `enclave pii scan: line ${lineNo}: expected an object {"id": string, "text": string}\n`,
      );
      continue;
    }
    const findings = detector
      .scan(r.text)
      .map(({ type, start, end, score }) => ({ type, start, end, score }));
    process.stdout.write(`${JSON.stringify({ id: r.id, findings })}\n`);
  }
  if (errors > 0) process.stderr.write(`enclave pii scan: ${errors} bad input line(s)\n`);
  return errors > 0 ? 1 : 0;
}

export function registerPiiCommands(program: Command): void {
  const pii = program.command('pii').description('Detect end-user personal data in text');
  pii
    .command('scan')
    .description(
      'Scan a text file (or stdin) and print it with findings marked; --jsonl for JSON lines {"id","text"}',
    )
    .argument('[file]', 'file to scan; stdin when omitted or "-"')
    .option(
      '--jsonl',
      'read JSON lines {"id": "...", "text": "..."}; write {"id", "findings": [{type,start,end,score}]} per line',
    )
    .option('--min-score <score>', 'report findings at or above this score (0-1, default 0.5)', parseMinScore)
    .option('--types <list>', 'comma-separated entity types to report, e.g. US_SSN,CREDIT_CARD', parseTypes)
    .action(async (file: string | undefined, options: ScanOptions) => {
      const detector = createDetector({
        ...(options.minScore !== undefined ? { minScore: options.minScore } : {}),
        ...(options.types ? { enabledTypes: options.types } : {}),
      });
      if (options.jsonl) {
        const code = await scanJsonl(detector, file);
        // Exit explicitly once output is flushed: exit hooks of other modules loaded by the CLI
        // may otherwise end the process with 0 and hide the bad-input status.
        if (code !== 0)
          await new Promise<void>((resolve) => process.stdout.write('', () => resolve())).then(() =>
            process.exit(code),
          );
        return;
      }
      scanReadable(detector, await readAll(file));
    });
}
