import { describe, expect, test } from 'vitest';
import { spawn } from 'node:child_process';
import { addGrowth, cpuMsOf, cpuSplit, parentOf, processCpu, threadCpu, threadWait, waitMsOf, waitSplit } from '../../bench/thread-cpu.js';

/** Per-thread readings from [tid, ms] pairs. */
const read = (pairs: number[][]) => new Map(pairs.map(([tid, ms]) => [tid!, ms!]));

/** A /proc/<pid>/task/<tid>/stat line with the given utime and stime (clock ticks) and thread name. */
const statLine = (name: string, utime: number, stime: number) =>
  `4242 (${name}) S 1 4242 4242 0 -1 4194560 1000 0 0 0 ${utime} ${stime} 0 0 20 0 11 0 100 1000000 5000 18446744073709551615`;

describe('reading a thread’s CPU time', () => {
  test.each([
    { case: 'a plain name', name: 'node', utime: 150, stime: 25, ms: 1750 },
    { case: 'a name with spaces and brackets', name: 'V8 Worker) (x', utime: 3, stime: 0, ms: 30 },
    { case: 'a thread that has not run', name: 'libuv-worker', utime: 0, stime: 0, ms: 0 },
  ])('when the stat line has $case, then user + system time is read in ms', ({ name, utime, stime, ms }) => {
    expect(cpuMsOf(statLine(name, utime, stime))).toBe(ms);
  });

  test('when this process is read, then its main thread is there', () => {
    expect(threadCpu(process.pid).get(process.pid)).toBeGreaterThanOrEqual(0);
  });

  test('when a process is gone, then nothing is read', () => {
    expect(threadCpu(2 ** 30).size).toBe(0);
  });
});

describe('reading how long a thread waited for a CPU', () => {
  test.each([
    { case: 'a thread that waited', line: '1532000000 287000000 4127\n', ms: 287 },
    { case: 'a thread that never waited', line: '5000 0 1\n', ms: 0 },
    { case: 'a fraction of a millisecond', line: '100 2500000 3', ms: 2.5 },
  ])('when schedstat reads $case, then the run-queue time is read in ms', ({ line, ms }) => {
    expect(waitMsOf(line)).toBe(ms);
  });

  test('when this process is read, then its main thread is there', () => {
    expect(threadWait(process.pid).get(process.pid)).toBeGreaterThanOrEqual(0);
  });

  test('when a process is gone, then nothing is read', () => {
    expect(threadWait(2 ** 30).size).toBe(0);
  });
});

describe('adding up readings over several turns', () => {
  test('when two turns are read, then each thread’s growth in both is summed, a new thread from 0', () => {
    const total = new Map<number, number>();

    addGrowth(total, new Map([[10, 100], [11, 40]]), new Map([[10, 160], [11, 45]]));
    addGrowth(total, new Map([[10, 500], [11, 50]]), new Map([[10, 520], [11, 60], [12, 7]]));

    expect(total).toEqual(new Map([[10, 80], [11, 15], [12, 7]]));
  });
});

describe('splitting the waits between threads', () => {
  test.each([
    {
      case: 'the engine used the most CPU but waited less than a helper',
      cpu: [[10, 3000], [11, 6000], [12, 200]], wait: [[10, 1500], [11, 500], [12, 900]], seconds: 10,
      split: { main: 150, busiestOther: 50, rest: 90 },
    },
    {
      case: 'a process with one thread',
      cpu: [[10, 2000]], wait: [[10, 1000]], seconds: 5,
      split: { main: 200, busiestOther: 0, rest: 0 },
    },
  ])('when $case, then each kind gets its ms per second', ({ cpu, wait, seconds, split }) => {
    expect(waitSplit(10, read(cpu), read(wait), seconds)).toEqual(split);
  });
});

describe('splitting CPU per text between threads', () => {
  test.each([
    {
      case: 'the main thread, a busy worker and two helpers',
      before: [[10, 100], [11, 50], [12, 5], [13, 5]], after: [[10, 700], [11, 750], [12, 55], [13, 35]], texts: 1000,
      split: { main: 600, busiestOther: 700, rest: 80 },
    },
    {
      case: 'a thread that started between the readings',
      before: [[10, 0]], after: [[10, 300], [14, 100]], texts: 500,
      split: { main: 600, busiestOther: 200, rest: 0 },
    },
  ])('when $case, then each kind gets its µs per text', ({ before, after, texts, split }) => {
    expect(cpuSplit(10, read(before), read(after), texts)).toEqual(split);
  });
});

describe('splits that cannot be made', () => {
  test.each([
    { case: 'no thread’s CPU could be read', split: () => cpuSplit(10, new Map(), new Map(), 100) },
    { case: 'no text was served', split: () => cpuSplit(10, new Map(), read([[10, 5]]), 0) },
    { case: 'no thread’s waits could be read', split: () => waitSplit(10, new Map(), new Map(), 5) },
    { case: 'no time passed between the readings', split: () => waitSplit(10, new Map(), read([[10, 5]]), 0) },
  ])('when $case, then there is no split', ({ split }) => {
    expect(split()).toBeUndefined();
  });
});

describe('reading the CPU of whole processes (a PostgreSQL server: its postmaster and backends)', () => {
  test.each([
    { case: 'a plain name', name: 'postgres', ppid: 812 },
    { case: 'a name with spaces and brackets', name: 'postgres: writer) (x', ppid: 1 },
  ])('when the stat line has $case, then the parent is read from the fourth field', ({ name, ppid }) => {
    expect(parentOf(`4242 (${name}) S ${ppid} 4242 4242 0 -1 4194560 1000 0 0 0 10 5 0 0 20 0 11 0 100`)).toBe(ppid);
  });

  test('when a process and its children are read, then a child it started is there, and only with its children asked for', async () => {
    const child = spawn('sleep', ['5'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      expect([...processCpu([process.pid], true).keys()]).toEqual(expect.arrayContaining([process.pid, child.pid]));
      expect([...processCpu([process.pid]).keys()]).toEqual([process.pid]);
    } finally {
      child.kill();
    }
  });
});
