// Where the CPU goes during a phase of bench/e2e.ts, from /proc: this process (HTTP, worker, workflow
// threads, the bench), the Temporal dev server, and the reader processes (live ones, and those that
// ended, through this process's reaped-children counters). On a shared machine a rate depends on the
// others' load; CPU seconds per order much less so.
import { readdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

export type CpuSample = Record<'node' | 'temporal' | 'readers', number>;

interface Stat {
  pid: number;
  ppid: number;
  comm: string;
  /** Own CPU, and that of its children already reaped (seconds). */
  own: number;
  reaped: number;
}

function stat(pid: string): Stat | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm is in parentheses and may hold spaces: split after the last ')'.
    const close = s.lastIndexOf(')');
    const comm = s.slice(s.indexOf('(') + 1, close);
    const f = s.slice(close + 2).split(' ');
    // After comm: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14).
    return { pid: Number(pid), ppid: Number(f[1]), comm, own: (Number(f[11]) + Number(f[12])) / TICKS, reaped: (Number(f[13]) + Number(f[14])) / TICKS };
  } catch {
    return null; // ended meanwhile
  }
}

/** CPU seconds used so far by this process and its descendants, by kind. */
export function cpuNow(): CpuSample {
  const all = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(stat).filter((s): s is Stat => s !== null);
  const children = new Map<number, Stat[]>();
  for (const s of all) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const out: CpuSample = { node: 0, temporal: 0, readers: 0 };
  const self = all.find((s) => s.pid === process.pid);
  if (self) [out.node, out.readers] = [self.own, self.reaped];
  const walk = (pid: number) => {
    for (const c of children.get(pid) ?? []) {
      if (c.comm.startsWith('temporal')) out.temporal += c.own + c.reaped;
      else out.readers += c.own + c.reaped;
      walk(c.pid);
    }
  };
  walk(process.pid);
  return out;
}

/** CPU milliseconds per order between two samples, by kind, as one line. */
export function cpuPerOrder(before: CpuSample, after: CpuSample, orders: number): { total: number; text: string } {
  const per = (k: keyof CpuSample) => (1000 * (after[k] - before[k])) / Math.max(1, orders);
  const total = per('node') + per('temporal') + per('readers');
  return { total, text: `${total.toFixed(0)} ms (node ${per('node').toFixed(0)}, Temporal server ${per('temporal').toFixed(0)}, readers ${per('readers').toFixed(0)})` };
}
