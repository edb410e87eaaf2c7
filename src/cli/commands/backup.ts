/** `redcap-sms backup <file>`: a consistent copy of the database, taken while the service runs. */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { BackupError, backupDatabase } from '../../adapters/storage/backup.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import type { SetExit } from '../set-exit.js';
import { sqliteFileFor, fileToWrite, megabytes, versions } from './database-file.js';

export function registerBackup(program: Command, io: CliIo, setExit: SetExit): void {
  program
    .command('backup')
    .description('Copy the database (DATABASE_PATH) to a file, consistently, while the service runs.')
    .argument('<file>', 'where the backup goes; an existing file is kept unless --force')
    .option('--force', 'replace the file if it exists')
    .action(async (file: string, options: { force?: boolean }) => {
      const database = sqliteFileFor(io, 'backup');
      const target = fileToWrite(io, file);
      if (target === database) throw new UsageError(`${file} is the database itself`);
      if (options.force !== true && existsSync(target)) throw new UsageError(`${file} already exists (use --force to replace it)`);
      try {
        const report = await backupDatabase(database, target, { overwrite: options.force === true });
        io.out(`Backed up ${database} to ${file} (${megabytes(report.bytes)}, migrations ${versions(report.migrations)}).\n`);
        setExit(EXIT.ok);
      } catch (error) {
        if (!(error instanceof BackupError)) throw error;
        io.err(`error: ${error.message}; no backup was written\n`);
        setExit(EXIT.inputErrors);
      }
    });
}
