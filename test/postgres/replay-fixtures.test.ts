import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayFile } from '../../src/replay/index.js';
import { freshStorage } from './fresh-storage.js';

/** Every golden conversation replayed on PostgreSQL: the same use cases, the world's storage a fresh schema each. */
const FOLDER = 'fixtures/conversations';
const fixtures = readdirSync(FOLDER).filter((name) => /\.(ya?ml|json)$/.test(name)).sort();
const storage = freshStorage();

describe('conversation fixtures on PostgreSQL', () => {
  it.each(fixtures)('when %s is replayed on PostgreSQL, then every text, write and status matches', async (name) => {
    const result = await replayFile(join(FOLDER, name), {
      storage: async () => {
        const opened = await storage();
        return { store: opened.conversations, close: () => opened.close() };
      },
    });

    expect(result.failures).toEqual([]);
    expect(result.transcript.length).toBeGreaterThan(0);
  });
});
