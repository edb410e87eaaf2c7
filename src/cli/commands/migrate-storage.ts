/** `redcap-sms migrate-storage`: a SQLite study (DATABASE_PATH) copied into an empty PostgreSQL database (DATABASE_URL). */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Command } from 'commander';
import { DatabaseConnectionError, redactError, redactUrl } from '../../adapters/postgres/connection.js';
import { CopyError, copySqliteToPostgres } from '../../adapters/postgres/copy-from-sqlite.js';
import { openPostgresStorage } from '../../adapters/postgres/open-postgres.js';
import { MigrationError } from '../../adapters/storage/migrations.js';
import { ConfigError } from '../../config/config-error.js';
import { loadDatabaseUrl } from '../../config/env.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import type { SetExit } from '../set-exit.js';
import { databaseFile } from './database-file.js';

export function registerMigrateStorage(program: Command, io: CliIo, setExit: SetExit): void {
  program
    .command('migrate-storage')
    .description('Copy the SQLite database (DATABASE_PATH) into an empty PostgreSQL database (DATABASE_URL), all or nothing. Stop the service first.')
    .action(async () => {
      const source = databaseFile(io);
      if (!existsSync(source)) throw new UsageError(`there is no database at ${source}`);
      const url = targetUrl(io);
      const sqlite = new Database(source, { readonly: true, fileMustExist: true });
      try {
        const storage = await openPostgresStorage(url);
        try {
          const { rows } = await copySqliteToPostgres(sqlite, storage.pool);
          const copied = Object.entries(rows).filter(([, n]) => n > 0).map(([table, n]) => `${table} ${n}`).join(', ');
          io.out(`Copied ${source} to ${redactUrl(url)}: ${copied || 'no rows'}.\n`);
          setExit(EXIT.ok);
        } finally {
          await storage.close();
        }
      } catch (error) {
        if (!(error instanceof CopyError || error instanceof DatabaseConnectionError || error instanceof MigrationError)) {
          throw redactError(error, url);
        }
        io.err(`error: ${redactError(error, url).message}; nothing was copied\n`);
        setExit(EXIT.inputErrors);
      } finally {
        sqlite.close();
      }
    });
}

function targetUrl(io: CliIo): string {
  try {
    const url = loadDatabaseUrl(io.env);
    if (url === undefined) throw new UsageError('DATABASE_URL is not set: name the PostgreSQL database to copy into (postgres://…)');
    return url;
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.problems.join('; '));
    throw error;
  }
}
