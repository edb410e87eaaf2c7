import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { systemClock } from '../adapters/clock.js';
import type { Config } from '../config/env.js';
import type { ProjectRegistry } from '../config/projects.js';
import { startBackground, type ServiceOptions } from './engine.js';
import { composeThreadedService } from './engine-thread/threaded-service.js';
import { openEngineStorage } from './engine-storage.js';
import { composeService, composeServiceOn, type AnyService } from './service.js';

/** How `startService` runs the engine: in a worker thread of its own ([0016]), or in this thread. */
export type EngineThreading = 'engine-thread' | 'this-thread';

export interface RunningService {
  readonly url: string;
  readonly server: Server;
  /** Stop accepting, let in-flight requests and the current send finish, close the database. */
  stop(): Promise<void>;
  /** The engine thread's heap after a full collection; undefined when the engine runs in this thread, or without `--expose-gc`. */
  engineHeapAfterCollection(): Promise<number | undefined>;
}

/**
 * Listens on `config.port`, starts the dispatcher, and stops gracefully on SIGTERM/SIGINT. The engine runs
 * in a thread of its own ([0016]) only when asked: a thread owns its own adapters, so test doubles, an
 * in-memory database and the simulator's phones (which live in this thread) need `this-thread`.
 */
export async function startService(
  config: Config, projects: ProjectRegistry, threading: EngineThreading, options: ServiceOptions = {},
): Promise<RunningService> {
  if (threading === 'engine-thread') assertThreadable(config, options);
  const service = threading === 'engine-thread'
    ? await composeThreadedService(config, projects, (error) => {
      // Nothing can be stored without the engine; a supervisor restarts the process. Nothing acknowledged is lost.
      process.stderr.write(`redcap-sms: the engine thread stopped (${error.message}); exiting\n`);
      process.exit(1);
    })
    : await startedInThisThread(config, projects, options);
  const server = await listen(service.app, config.port);
  const { port } = server.address() as AddressInfo;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      service.logger.info('shutting down');
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await service.close();
      service.logger.info('stopped');
    })());
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void stop());
  service.logger.info({ port, projects: projects.projects.map((p) => p.id) }, 'listening');
  const engineHeapAfterCollection = async () => ('engineHeapAfterCollection' in service ? service.engineHeapAfterCollection() : undefined);
  return { url: `http://127.0.0.1:${port}`, server, stop, engineHeapAfterCollection };
}

/**
 * The threading `serve` uses for a configuration: a thread of its own for the engine on a SQLite file, whose
 * synchronous I/O would otherwise hold up HTTP; PostgreSQL's I/O is asynchronous, so its engine shares this
 * thread (decision 0054).
 */
export function defaultThreading(config: Config): EngineThreading {
  const sqliteFile = config.databaseUrl === undefined && config.databasePath !== ':memory:';
  return sqliteFile && config.smsProvider !== 'simulator' ? 'engine-thread' : 'this-thread';
}

function assertThreadable(config: Config, options: ServiceOptions): void {
  if (Object.keys(options).length > 0) throw new Error('an engine thread builds its own adapters: test doubles need this-thread');
  if (defaultThreading(config) === 'this-thread') throw new Error('PostgreSQL, an in-memory database or the simulator needs this-thread');
}

/** On PostgreSQL when DATABASE_URL is set (migrated first), else on SQLite at DATABASE_PATH. */
async function startedInThisThread(config: Config, projects: ProjectRegistry, options: ServiceOptions): Promise<AnyService> {
  const service = config.databaseUrl === undefined
    ? composeService(config, projects, options)
    : await onStorage(config, projects, options);
  try {
    await startBackground(service);
  } catch (error) {
    await service.close();
    throw error;
  }
  return service;
}

async function onStorage(config: Config, projects: ProjectRegistry, options: ServiceOptions): Promise<AnyService> {
  const storage = await openEngineStorage(config, (options.clock ?? systemClock).now());
  try {
    return composeServiceOn(storage, config, projects, options);
  } catch (error) {
    await storage.close();
    throw error;
  }
}

function listen(app: Express, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, (error?: Error) => (error === undefined ? resolve(server) : reject(error)));
  });
}
