export { openDatabase, type DatabaseOptions } from './open-database.js';
export { applyMigrations, readMigrations, defaultMigrationsDir, MigrationError, type Migration } from './migrations.js';
export { SqliteStore, RevisionConflict } from './sqlite-store.js';
export type * from './rows.js';
