/**
 * The real server as a child process (server-entry.ts, built by build-server.ts): start, kill -9,
 * restart on the same port and database. Its stdout (the JSON logs) is kept for the privacy check.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ServerProcess {
  readonly baseUrl: string;
  /** Every line the server printed on stdout (JSON logs) and stderr, across restarts. */
  readonly logLines: string[];
  start(): Promise<void>;
  /** The last lines the server wrote to stderr (for failure messages). */
  stderrTail(): string;
  pid(): number | undefined;
  /** SIGKILL, then wait for the process to be gone. */
  kill(): Promise<void>;
  /** SIGTERM (graceful stop), then wait. */
  stop(): Promise<void>;
  /** How the last run ended: its exit code, or the signal that ended it. */
  exitStatus(): number | NodeJS.Signals | null;
}

/**
 * A free port for a server process, taken below Linux's ephemeral range (32768–60999): a port from
 * `listen(0)` could be handed again to a test file running alongside before the child has bound it, and
 * /healthz would then be answered by someone else's server. Ports here are never given out that way.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await isFree(port)) return port;
  }
  throw new Error('no free port found between 20000 and 32000');
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

export function serverProcess(entry: string, port: number, env: Record<string, string>, args: readonly string[] = []): ServerProcess {
  const baseUrl = `http://127.0.0.1:${port}`;
  const logLines: string[] = [];
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  function keepLines(stream: NodeJS.ReadableStream, ...into: string[][]): void {
    let rest = '';
    stream.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString()).split('\n');
      rest = lines.pop() ?? '';
      for (const list of into) list.push(...lines.filter((line) => line !== ''));
    });
  }

  async function waitUntilHealthy(): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child?.exitCode !== null || child.signalCode !== null) throw new Error(`the server exited (${child?.exitCode ?? child?.signalCode}): ${stderr.slice(-5).join('\n')}`);
      try {
        const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(1_000) });
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await sleep(25);
    }
    throw new Error(`the server did not become healthy within 60 s: ${stderr.slice(-5).join('\n')}`);
  }

  const stderr: string[] = [];
  async function end(signal: NodeJS.Signals): Promise<void> {
    const running = child;
    if (running === undefined || running.exitCode !== null || running.signalCode !== null) return exited;
    running.kill(signal);
    // A graceful stop that hangs is cut short; the timer names this process, never a later one.
    const fallback = setTimeout(() => running.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(fallback);
  }

  return {
    baseUrl, logLines,
    async start() {
      const started = spawn(process.execPath, [entry, ...args], {
        env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env, PORT: String(port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = started;
      exited = new Promise((resolve) => started.once('exit', () => resolve()));
      keepLines(started.stdout!, logLines);
      keepLines(started.stderr!, stderr, logLines);
      await waitUntilHealthy();
    },
    pid: () => child?.pid,
    stderrTail: () => stderr.slice(-8).join('\n'),
    kill: () => end('SIGKILL'),
    exitStatus: () => child?.exitCode ?? child?.signalCode ?? null,
    stop: () => end('SIGTERM'),
  };
}
