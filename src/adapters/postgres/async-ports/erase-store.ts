// A copy of src/ports/storage/erase-store.ts at f29942d563187596d0ba3880b744e5a38b740c69 (branch async): the PostgreSQL adapter is typed against the
// async ports before they are merged. At merge: delete this folder and import from src/ports/storage/.
/** A delivered text the provider still holds. */
export interface ErasableText {
  readonly id: number;
  readonly sid: string;
}

/**
 * Which delivered texts may be deleted from the provider: delivered before a cut-off, of a project that
 * deletes, and of a conversation that has ended (or of none, like a phone-level note).
 */
export interface EraseStore {
  erasableTexts(projects: readonly string[], deliveredBefore: string, limit?: number): Promise<ErasableText[]>;
  markErased(id: number, at: string): Promise<void>;
}
