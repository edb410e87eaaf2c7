/** Runs a piece of synchronous database work in the next shared commit; settles once that commit is durable. */
export type SharedCommit = <T>(work: () => T) => Promise<T>;
