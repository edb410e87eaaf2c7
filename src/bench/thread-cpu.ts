import { readFileSync, readdirSync } from 'node:fs';

/**
 * CPU time of each thread of a process, from Linux's /proc (empty elsewhere). The inbound benchmark
 * splits the service's CPU per text between its HTTP thread (the process's main thread), its engine
 * thread (the busiest of the others while texts arrive) and the rest (V8's GC helpers, libuv's pool),
 * so a change can be judged by where it saves time, not by throughput alone on a noisy machine.
 */
export type ThreadCpu = ReadonlyMap<number, number>;

/** Clock ticks per second of /proc's utime and stime on Linux (USER_HZ). */
const TICKS_PER_SECOND = 100;

export function threadCpu(pid: number): ThreadCpu {
  const times = new Map<number, number>();
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return times;
  }
  for (const task of tasks) {
    try {
      times.set(Number(task), cpuMsOf(readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8')));
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return times;
}

/** utime + stime of one /proc stat line, in ms; the name field may hold spaces, so fields count from its ')'. */
export function cpuMsOf(statLine: string): number {
  const fields = statLine.slice(statLine.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

export interface CpuSplit {
  main: number;
  busiestOther: number;
  rest: number;
}

/** The CPU each kind of thread spent between two readings, in µs per unit of work. */
export function cpuSplit(pid: number, before: ThreadCpu, after: ThreadCpu, units: number): CpuSplit | undefined {
  if (after.size === 0 || units === 0) return undefined;
  const spent = [...after].map(([tid, ms]) => ({ tid, ms: ms - (before.get(tid) ?? 0) }));
  const main = spent.find((thread) => thread.tid === pid)?.ms ?? 0;
  const others = spent.filter((thread) => thread.tid !== pid).map((thread) => thread.ms).sort((a, b) => b - a);
  const busiestOther = others[0] ?? 0;
  const rest = others.slice(1).reduce((sum, ms) => sum + ms, 0);
  const perUnit = (ms: number) => Math.round((ms * 1000) / units);
  return { main: perUnit(main), busiestOther: perUnit(busiestOther), rest: perUnit(rest) };
}
