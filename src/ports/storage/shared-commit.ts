import type { UnitOfWork } from './conversation-store.js';

/**
 * Runs a unit of work in the next shared commit (SQLite's group commit: the units of one event-loop turn
 * share one transaction and one fsync); settles once that commit is durable. `work` nests as a unit of
 * its own inside it, rolled back alone if it rejects.
 */
export type SharedCommit = <T>(work: (tx: UnitOfWork) => Promise<T>) => Promise<T>;
