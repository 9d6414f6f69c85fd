import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';

// Summarises a V8 .cpuprofile (from `npm run bench -- --cpu-prof DIR`): the
// functions with the most self time, and the most inclusive time, so you can
// see where the server spends CPU per message without opening DevTools.
//   node --import tsx bench/realtime/profile-summary.ts DIR/CPU.*.cpuprofile [top]

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const REPO = resolve(import.meta.dirname, '../..');

function label(n: Node): string {
  const f = n.callFrame;
  const url = f.url.replace(/^file:\/\//, '');
  const where = url ? `${url.startsWith(REPO) ? relative(REPO, url) : url}:${f.lineNumber + 1}` : '';
  return `${f.functionName || '(anonymous)'} ${where}`.trim();
}

/** Where a frame's code lives: an npm package, a folder of our server, Node internals, or native code. */
function packageOf(n: Node): string {
  const url = n.callFrame.url;
  if (!url)
    return n.callFrame.functionName.startsWith('(')
      ? n.callFrame.functionName
      : '(native: syscalls, builtins)';
  if (url.startsWith('node:')) return 'node internals';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  const ours = /packages\/([^/]+)\/src\/([^/]+)/.exec(url);
  if (ours) return `@enclave/${ours[1]}/${ours[2]}`;
  return url;
}

export function summariseProfile(path: string, top = 30): string {
  const p = JSON.parse(readFileSync(path, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++)
    selfUs.set(p.samples[i]!, (selfUs.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i] ?? 0));
  const self = new Map<string, number>();
  const byPackage = new Map<string, number>();
  const total = new Map<string, number>();
  let all = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const n = byId.get(id)!;
    all += us;
    if (n.callFrame.functionName === '(idle)') idle += us;
    const l = label(n);
    self.set(l, (self.get(l) ?? 0) + us);
    byPackage.set(packageOf(n), (byPackage.get(packageOf(n)) ?? 0) + us);
    // Inclusive: once per distinct label on the stack.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const cl = label(byId.get(cur)!);
      if (seen.has(cl)) continue;
      seen.add(cl);
      total.set(cl, (total.get(cl) ?? 0) + us);
    }
  }
  const busy = all - idle;
  const fmt = (m: Map<string, number>) =>
    [...m]
      .filter(([l]) => !l.startsWith('(idle)') && !l.startsWith('(root)'))
      .sort((x, y) => y[1] - x[1])
      .slice(0, top)
      .map(
        ([l, us]) =>
          `${((us / busy) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${l}`,
      )
      .join('\n');
  return `busy ${(busy / 1000).toFixed(0)} ms of ${(all / 1000).toFixed(0)} ms sampled\n\nself time by package:\n${fmt(byPackage)}\n\nself time:\n${fmt(self)}\n\ninclusive time:\n${fmt(total)}\n`;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node --import tsx bench/realtime/profile-summary.ts FILE.cpuprofile [top]');
    process.exit(2);
  }
  process.stdout.write(summariseProfile(file, top ? Number(top) : 30));
}
