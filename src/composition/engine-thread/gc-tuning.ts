import { getHeapStatistics, setFlagsFromString } from 'node:v8';

/**
 * Stops V8 from allocating objects straight into the old generation at allocation sites whose objects
 * it has seen survive (allocation-site pretenuring). A conversation step's objects live for one step,
 * yet once V8 tenured their sites each step left about 10 KB in the old generation: the engine thread's
 * scavenges took 4–5 ms every 200 ms and a full collection came every few seconds. With pretenuring
 * off, a loop of steps scavenges in about 1 ms instead of 4–5 and promotes well under half as much
 * (decision 0023).
 *
 * The flag is process-wide and V8 reads it at every garbage collection, so it is set once, before the
 * engine thread's isolate is created; it is a V8 option, which a worker's `execArgv` cannot carry.
 */
export function keepStepObjectsYoung(): void {
  setFlagsFromString('--no-allocation-site-pretenuring');
}

/**
 * This thread's V8 heap in use after a full collection, in bytes: what the thread holds, without the garbage
 * a reading at any moment carries. Only when node runs with `--expose-gc` (the benchmarks' services do, to
 * tell whether memory grows with stored conversations); undefined otherwise.
 */
export function heapAfterCollection(): number | undefined {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) return undefined;
  collect();
  return getHeapStatistics().used_heap_size;
}
