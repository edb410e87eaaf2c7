import type { Clock, IdGenerator } from '../adapters/clock.js';
import type { SqliteStore } from '../adapters/storage/index.js';
import type { ConversationSettings } from '../conversation/index.js';
import type { Catalog } from '../messages/catalog.js';

/** How one REDCap project runs its conversations. */
export interface ProjectSetup {
  settings: ConversationSettings;
  catalog: Catalog;
}

/** Everything the conversation use cases touch, injected so tests and replay use fakes. */
export interface ConversationDeps {
  store: SqliteStore;
  clock: Clock;
  newId: IdGenerator;
  project: (id: string) => ProjectSetup;
}
