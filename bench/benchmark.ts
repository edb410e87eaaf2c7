/** A benchmark reports human-readable result lines; each concept adds its own file and one entry in registry.ts. */
export interface Benchmark {
  name: string;
  run(): Promise<string[]>;
}
