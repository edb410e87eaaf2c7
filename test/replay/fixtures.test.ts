import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayFile, rewriteFixtureSteps } from '../../src/replay/index.js';

const FOLDER = 'fixtures/conversations';
const fixtures = readdirSync(FOLDER).filter((name) => /\.(ya?ml|json)$/.test(name)).sort();
// `UPDATE_FIXTURES=1 npx vitest run test/replay` rewrites expected texts, goflow-style, for review in the diff.
const update = process.env.UPDATE_FIXTURES === '1';

describe('conversation fixtures', () => {
  it('when the fixture folder is listed, then it holds at least 25 conversations', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(25);
  });

  it.each(fixtures)('when %s is replayed, then every text, write and status matches', async (name) => {
    const file = join(FOLDER, name);
    const result = await replayFile(file, { update });
    if (update && result.updatedSteps !== undefined) {
      expect(result.updatedSteps.length).toBeGreaterThan(0);
      rewriteFixtureSteps(file, result.updatedSteps);
      return;
    }
    expect(result.failures).toEqual([]);
    expect(result.transcript.length).toBeGreaterThan(0);
  });
});
