import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { postgresBenchmark } from '../../bench/inbound-postgres.js';

/** Programs named initdb and postgres that fail at once, as a broken or foreign installation would. */
function brokenPrograms(): string {
  const root = mkdtempSync(join(tmpdir(), 'pg-broken-'));
  chmodSync(root, 0o755); // under root the programs run as nobody
  const binDir = join(root, 'bin');
  mkdirSync(binDir);
  for (const program of ['initdb', 'postgres']) {
    writeFileSync(join(binDir, program), '#!/bin/sh\necho "cannot run here" >&2\nexit 1\n');
    chmodSync(join(binDir, program), 0o755);
  }
  return binDir;
}

describe('the PostgreSQL cases of the inbound benchmark, when no server can be had', () => {
  it.each([
    {
      case: 'no PostgreSQL programs are found',
      source: { kind: 'none' as const, why: 'no PostgreSQL programs for linux-x64' },
      line: 'PostgreSQL cases NOT RUN: no PostgreSQL programs for linux-x64',
    },
    {
      case: 'the programs found cannot start a server',
      source: { kind: 'binaries' as const, binDir: brokenPrograms(), from: 'PG_BIN_DIR' },
      line: expect.stringMatching(/^PostgreSQL cases NOT RUN: no server could be started \(initdb failed \(exit 1\): cannot run here\)$/),
    },
  ])('when $case, then the benchmark says so and why, measures nothing and does not fail the run', async ({ source, line }) => {
    expect(await postgresBenchmark(() => source).run()).toEqual([line]);
  });
});
