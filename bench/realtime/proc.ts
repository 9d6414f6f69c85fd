import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

// Linux /proc readings for one process: CPU time (user + system) and resident memory.
// The bench measures the server child from outside, so nothing in the server is instrumented.

let clkTck: number | null = null;

/** Clock ticks per second for /proc/<pid>/stat times (almost always 100). */
export function ticksPerSecond(): number {
  if (clkTck === null) {
    try {
      clkTck = Number.parseInt(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim(), 10) || 100;
    } catch {
      clkTck = 100;
    }
  }
  return clkTck;
}

/** utime + stime of a process in microseconds, or null once it has gone. */
export function cpuMicros(pid: number): number | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) may contain spaces and parentheses: fields are counted after its closing ')'.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state); utime is field 14, stime field 15.
  const ticks = Number(rest[11]) + Number(rest[12]);
  return (ticks * 1_000_000) / ticksPerSecond();
}

/** utime and stime of a process separately, in microseconds. */
export function cpuSplitMicros(pid: number): { user: number; system: number } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const k = 1_000_000 / ticksPerSecond();
  return { user: Number(rest[11]) * k, system: Number(rest[12]) * k };
}

/** Machine-wide busy and total CPU time (all cores) from /proc/stat, in microseconds: to show contention. */
export function machineCpuMicros(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal guest guest_nice; guest time is already in user.
  const total = f.slice(0, 8).reduce((x, y) => x + y, 0);
  const idle = (f[3] ?? 0) + (f[4] ?? 0);
  const k = 1_000_000 / ticksPerSecond();
  return { busy: (total - idle) * k, total: total * k };
}

/** VmRSS of a process in bytes, or null once it has gone. */
export function rssBytes(pid: number): number | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(text);
  return m ? Number(m[1]) * 1024 : null;
}

/** Sum of cpuMicros over several processes (PostgreSQL backends); gone ones count as 0. */
export function cpuMicrosOf(pids: readonly number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    const v = cpuMicros(pid);
    if (v !== null) out.set(pid, v);
  }
  return out;
}

/** The generator's own CPU (this process), in microseconds. */
export function selfCpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}
