export { openDatabase, type DatabaseOptions } from './open-database.js';
export { applyMigrations, readMigrations, defaultMigrationsDir, MigrationError, type Migration } from './migrations.js';
export { SqliteStore } from './sqlite-store.js';
export { RevisionConflict } from '../../ports/storage/conversation-store.js';
export type * from '../../ports/storage/rows.js';
