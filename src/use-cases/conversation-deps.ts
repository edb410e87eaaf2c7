import type { Clock, IdGenerator } from '../ports/clock.js';
import type { ConversationStore } from '../ports/storage/conversation-store.js';
import type { ConversationSettings } from '../conversation/index.js';
import type { Languages } from '../languages/index.js';
import type { Catalog } from '../messages/catalog.js';

/** How one REDCap project runs its conversations. */
export interface ProjectSetup {
  settings: ConversationSettings;
  catalog: Catalog;
  /** The project's languages (REDCap MLM); none when absent. */
  languages?: Languages;
}

/** Everything the conversation use cases touch, injected so tests and replay use fakes. */
export interface ConversationDeps {
  store: ConversationStore;
  clock: Clock;
  newId: IdGenerator;
  project: (id: string) => ProjectSetup;
}
