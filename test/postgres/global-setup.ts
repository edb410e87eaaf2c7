import type { TestProject } from 'vitest/node';
import { findPostgresServer } from '../postgres-server/server-binaries.js';
import { startThrowawayCluster } from '../postgres-server/throwaway-cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A superuser URL of the test run's PostgreSQL server; see fresh-database.ts. */
    postgresUrl: string;
  }
}

/** The PostgreSQL project's global setup: one server for the whole run, stopped and removed at its end. */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const source = findPostgresServer();
  if (source.kind === 'url') {
    project.provide('postgresUrl', source.url);
    return undefined;
  }
  if (source.kind === 'none') throw new Error(`the PostgreSQL suite has no server: ${source.why}`);
  const cluster = await startThrowawayCluster(source.binDir);
  project.provide('postgresUrl', cluster.url);
  return () => cluster.stop();
}
