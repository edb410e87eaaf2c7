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
