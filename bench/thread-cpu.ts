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
  return readTasks(pid, 'stat', cpuMsOf);
}

/**
 * How long each thread of a process has waited for a CPU while ready to run, in ms (Linux's schedstat;
 * empty elsewhere). With more busy threads than cores, a paced load's latency is partly this queueing,
 * so the benchmark prints it beside the latency.
 */
export function threadWait(pid: number): ThreadCpu {
  return readTasks(pid, 'schedstat', waitMsOf);
}

function readTasks(pid: number, file: 'stat' | 'schedstat', parse: (line: string) => number): ThreadCpu {
  const times = new Map<number, number>();
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return times;
  }
  for (const task of tasks) {
    try {
      times.set(Number(task), parse(readFileSync(`/proc/${pid}/task/${task}/${file}`, 'utf8')));
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

/** The second of schedstat's three fields: nanoseconds spent runnable on a run queue, in ms. */
export function waitMsOf(schedstatLine: string): number {
  return Number(schedstatLine.trim().split(' ')[1]) / 1e6;
}

/** Adds each thread's growth between two readings to `total` (threads that started in between count from 0). */
export function addGrowth(total: Map<number, number>, before: ThreadCpu, after: ThreadCpu): void {
  for (const [tid, ms] of after) total.set(tid, (total.get(tid) ?? 0) + ms - (before.get(tid) ?? 0));
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

/**
 * How long each kind of thread waited for a CPU, in ms per second of the readings: the main thread, the
 * engine (the other thread that used the most CPU over the same span) and the rest.
 */
export function waitSplit(pid: number, cpu: ThreadCpu, wait: ThreadCpu, seconds: number): CpuSplit | undefined {
  if (wait.size === 0 || seconds <= 0) return undefined;
  const engine = [...cpu].filter(([tid]) => tid !== pid).sort((a, b) => b[1] - a[1])[0]?.[0];
  const waited = (tid: number | undefined) => (tid === undefined ? 0 : wait.get(tid) ?? 0);
  const rest = [...wait].filter(([tid]) => tid !== pid && tid !== engine).reduce((sum, [, ms]) => sum + ms, 0);
  const perSecond = (ms: number) => Math.round(ms / seconds);
  return { main: perSecond(waited(pid)), busiestOther: perSecond(waited(engine)), rest: perSecond(rest) };
}

/**
 * CPU time of whole processes (all their threads), in ms by process id, with every direct child of each
 * when `withChildren` (a PostgreSQL server: the postmaster and its backends, one process per connection).
 */
export function processCpu(pids: readonly number[], withChildren = false): ThreadCpu {
  const all = withChildren ? [...pids, ...childrenOf(pids)] : pids;
  const times = new Map<number, number>();
  for (const pid of all) {
    try {
      times.set(pid, cpuMsOf(readFileSync(`/proc/${pid}/stat`, 'utf8')));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return times;
}

/** The processes whose parent is one of `pids` (Linux's /proc; none elsewhere). */
function childrenOf(pids: readonly number[]): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return [];
  }
  const parents = new Set(pids);
  return entries.map(Number).filter((pid) => {
    try {
      return parents.has(parentOf(readFileSync(`/proc/${pid}/stat`, 'utf8')));
    } catch {
      return false;
    }
  });
}

/** The fourth field of a /proc stat line, the parent's id; the name may hold spaces, so fields count from its ')'. */
export function parentOf(statLine: string): number {
  return Number(statLine.slice(statLine.lastIndexOf(')') + 2).split(' ')[1]);
}
