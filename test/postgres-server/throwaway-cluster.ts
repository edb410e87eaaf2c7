import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A PostgreSQL cluster owned by one test or benchmark run: initdb in a temporary folder, a postmaster on a
 * free loopback port, removed when stopped. PostgreSQL refuses to run as root, so under root (CI) its
 * programs run as `nobody`, which owns the folder; nothing is installed or changed outside it. Shared by the
 * PostgreSQL test suite (test/postgres/global-setup.ts) and the benchmark (bench/inbound-postgres.ts).
 */
export interface ThrowawayCluster {
  /** The superuser's URL of the `postgres` database; test files create their own databases through it. */
  readonly url: string;
  /** The postmaster's process id; the server's backends are its children. */
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  /**
   * Durable commits, as a production server makes them (fsync, synchronous_commit, full-page writes: the
   * defaults). The tests leave them off, since durability is not what they test; the benchmark turns them
   * on to compare with SQLite at synchronous=FULL (decision 0068).
   */
  readonly durable?: boolean;
}

/** Off for a fast test suite; a durable cluster keeps PostgreSQL's own defaults (on). */
const NOT_DURABLE = ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];

const NOBODY = 65534;

export async function startThrowawayCluster(binDir: string, options: ClusterOptions = {}): Promise<ThrowawayCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'redcap-sms-pg-'));
  const user = process.getuid?.() === 0 ? { uid: NOBODY, gid: NOBODY } : {};
  if ('uid' in user) chownSync(dir, NOBODY, NOBODY);
  const data = join(dir, 'data');
  const init = spawnSync(
    join(binDir, 'initdb'),
    ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-locale', '--no-sync'],
    { ...user, encoding: 'utf8' },
  );
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed (${init.error?.message ?? `exit ${init.status}`})${init.stderr ? `: ${init.stderr.trim()}` : ''}`);
  }
  const port = await freePort();
  const server = spawn(
    join(binDir, 'postgres'),
    ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200',
      ...(options.durable === true ? [] : NOT_DURABLE)],
    { ...user, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const log: string[] = [];
  server.stderr?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  try {
    await untilReady(server, log);
  } catch (error) {
    server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const watchdog = watchOverRun(server, dir);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    pid: server.pid,
    stop: async () => {
      await stopServer(server);
      rmSync(dir, { recursive: true, force: true });
      watchdog.stdin?.end();
    },
  };
}

/**
 * A test run killed outright (kill -9, a closed terminal) never calls `stop`. A small process of its own
 * waits for the run's end — its stdin closes with the run, however the run ends — then stops the server
 * and removes its folder, so no cluster outlives its run.
 */
function watchOverRun(server: ChildProcess, dir: string): ChildProcess {
  const script = `process.stdin.resume(); process.stdin.on('end', () => {
    try { process.kill(${server.pid}, 'SIGQUIT'); } catch {}
    setTimeout(() => { require('node:fs').rmSync(${JSON.stringify(dir)}, { recursive: true, force: true }); process.exit(0); }, 1000);
  });`;
  const watchdog = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
  watchdog.unref();
  return watchdog;
}

function untilReady(server: ChildProcess, log: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const timeout = setTimeout(() => reject(new Error(`PostgreSQL did not start in 30 s: ${log.join('').slice(-500)}`)), 30_000);
    const check = () => {
      if (log.join('').includes('ready to accept connections')) {
        clearTimeout(timeout);
        resolve();
      }
    };
    server.stderr?.on('data', check);
    server.once('exit', (code) => {
      clearTimeout(timeout);
      reject(new Error(`PostgreSQL exited (${code}) at start: ${log.join('').slice(-500)}`));
    });
  });
}

/** Fast shutdown: open sessions are ended, the cluster is left consistent. */
function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    server.once('exit', () => resolve());
    server.kill('SIGINT');
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
