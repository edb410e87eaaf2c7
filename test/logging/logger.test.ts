import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildServer } from '../reliability/harness/build-server.js';

describe('the default log destination (asynchronous stdout)', () => {
  let built: ReturnType<typeof buildServer>;
  beforeAll(() => {
    built = buildServer('test/logging/log-and-exit.ts');
  });
  afterAll(() => built.remove());

  test.each([
    { when: 'the process exits normally right after logging', lines: 2_000, exitCode: 0 },
    { when: 'the process exits with an error right after logging', lines: 2_000, exitCode: 1 },
  ])('when $when, then every line still reaches stdout, redacted', ({ lines, exitCode }) => {
    const child = spawnSync(process.execPath, [built.entry, String(lines), String(exitCode)], { encoding: 'utf8' });
    expect(child.status).toBe(exitCode);
    const logged = child.stdout.trim().split('\n').map((line) => JSON.parse(line) as { line: number; phone: string });
    expect(logged.map((entry) => entry.line)).toEqual([...Array(lines).keys()]);
    expect(new Set(logged.map((entry) => entry.phone))).toEqual(new Set(['[redacted]']));
  });
});
