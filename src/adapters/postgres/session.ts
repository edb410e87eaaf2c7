import type pg from 'pg';

/**
 * Where a store's statements run: on the pool (each statement its own transaction), or on the one client
 * a unit of work holds from BEGIN to COMMIT. A unit also remembers which participants it has locked.
 */
export interface Session {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: readonly unknown[]): Promise<pg.QueryResult<R>>;
  /** True inside a unit of work: locks are held to its end and savepoints can be opened. */
  readonly inUnit: boolean;
  /**
   * Serialises the units of work of one participant (project, phone) across every instance, as RapidPro's
   * mailroom locks a contact: a transaction-scoped advisory lock, released by COMMIT or ROLLBACK. Resolves
   * true when this call took it, false when the unit already held it. Outside a unit it does nothing.
   */
  lockParticipant(project: string, phone: string): Promise<boolean>;
  /** Runs `work` in a savepoint: rolled back alone (locks taken inside it included) if it rejects. */
  savepoint<T>(work: () => Promise<T>): Promise<T>;
  /**
   * Runs `work` in one transaction: on the pool a transaction of its own, in a unit of work the unit's (its
   * transaction-scoped locks then held to the unit's end).
   */
  atomically<T>(work: (session: Session) => Promise<T>): Promise<T>;
}

/** Statements straight on the pool: autocommit, no participant locks. */
export function poolSession(pool: pg.Pool): Session {
  return {
    query: (sql, params) => pool.query(sql, params as unknown[]),
    inUnit: false,
    lockParticipant: async () => false,
    savepoint: () => {
      throw new Error('a savepoint needs a unit of work');
    },
    atomically: (work) => inTransaction(pool, work),
  };
}

/** The session of one unit of work, on the client that ran BEGIN. */
export function unitSession(client: pg.PoolClient): Session {
  let locked = new Set<string>();
  let savepoints = 0;
  const query: Session['query'] = (sql, params) => client.query(sql, params as unknown[]);
  const session: Session = {
    query,
    inUnit: true,
    async lockParticipant(project, phone) {
      const key = JSON.stringify([project, phone]);
      if (locked.has(key)) return false;
      // Two 32-bit halves: the project and the phone hashed apart, so the key space is not one hash's.
      await query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [project, phone]);
      locked.add(key);
      return true;
    },
    async savepoint(work) {
      const name = `unit_${++savepoints}`;
      const lockedBefore = new Set(locked);
      await query(`SAVEPOINT ${name}`);
      try {
        const value = await work();
        await query(`RELEASE SAVEPOINT ${name}`);
        return value;
      } catch (error) {
        // PostgreSQL releases the locks taken after the savepoint when it is rolled back to.
        await query(`ROLLBACK TO SAVEPOINT ${name}`);
        await query(`RELEASE SAVEPOINT ${name}`);
        locked = lockedBefore;
        throw error;
      }
    },
    atomically: (work) => work(session),
  };
  return session;
}

/**
 * Runs `work` on one client taken from the pool, and gives it back, destroyed if its connection failed.
 * While a client is out of the pool, pg's pool no longer listens to its 'error' event: a connection the
 * server ends mid-work (a restart, `pg_terminate_backend`) would be an unhandled event and end the process.
 * The listener here keeps it an error of this work only.
 */
export async function withClient<T>(pool: pg.Pool, work: (client: pg.PoolClient, broken: (error: Error) => void) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let failure: Error | undefined;
  const broken = (error: Error) => {
    failure ??= error;
  };
  client.on('error', broken);
  try {
    return await work(client, broken);
  } finally {
    client.removeListener('error', broken);
    client.release(failure);
  }
}

/**
 * Runs `work` on one pooled client between BEGIN and COMMIT; ROLLBACK if it rejects. A client whose
 * connection failed is destroyed rather than returned to the pool.
 */
export function inTransaction<T>(pool: pg.Pool, work: (session: Session) => Promise<T>): Promise<T> {
  return withClient(pool, async (client, broken) => {
    await client.query('BEGIN');
    try {
      const value = await work(unitSession(client));
      await client.query('COMMIT');
      return value;
    } catch (error) {
      await client.query('ROLLBACK').catch(broken);
      throw error;
    }
  });
}
