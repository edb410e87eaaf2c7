/** `redcap-sms restore <file>`: the database replaced by a backup, with the service stopped. */
import type { Command } from 'commander';
import { BackupError, restoreDatabase } from '../../adapters/storage/backup.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import type { SetExit } from '../set-exit.js';
import { sqliteFileFor, fileToRead, fileToWrite, megabytes, versions } from './database-file.js';

export function registerRestore(program: Command, io: CliIo, setExit: SetExit): void {
  program
    .command('restore')
    .description('Replace the database (DATABASE_PATH) with a backup. Stop the service first: restore refuses while it runs.')
    .argument('<file>', 'a backup taken with `redcap-sms backup`')
    .action(async (file: string) => {
      const backup = fileToRead(io, file);
      const database = fileToWrite(io, sqliteFileFor(io, 'restore'));
      if (backup === database) throw new UsageError(`${file} is the database itself`);
      try {
        const report = await restoreDatabase(backup, database);
        const pending = report.pendingMigrations.length === 0 ? '' : ` The service applies migrations ${versions(report.pendingMigrations)} when it starts.`;
        io.out(`Restored ${file} to ${database} (${megabytes(report.bytes)}, migrations ${versions(report.migrations)}).${pending}\n`);
        setExit(EXIT.ok);
      } catch (error) {
        if (!(error instanceof BackupError)) throw error;
        io.err(`error: ${error.message}; the database was not changed\n`);
        setExit(EXIT.inputErrors);
      }
    });
}
