import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildServer } from '../reliability/harness/build-server.js';

describe('the stdout log destination', () => {
  let built: ReturnType<typeof buildServer>;
  beforeAll(() => {
    built = buildServer('test/logging/log-and-exit.ts');
  });
  afterAll(() => built.remove());

  test.each([
    { when: 'the process exits normally right after logging', exitCode: 0, mode: 'asynchronous' },
    { when: 'the process exits with an error right after logging', exitCode: 1, mode: 'asynchronous' },
    { when: 'a synchronous logger (the engine thread\'s) is used and the process exits', exitCode: 1, mode: 'synchronous' },
  ])('when $when, then every line still reaches stdout, redacted', ({ exitCode, mode }) => {
    const lines = 2_000;
    const child = spawnSync(process.execPath, [built.entry, String(lines), String(exitCode), mode], { encoding: 'utf8' });
    expect(child.status).toBe(exitCode);
    const logged = child.stdout.trim().split('\n').map((line) => JSON.parse(line) as { line: number; phone: string });
    expect(logged.map((entry) => entry.line)).toEqual([...Array(lines).keys()]);
    expect(new Set(logged.map((entry) => entry.phone))).toEqual(new Set(['[redacted]']));
  });

  test('when a quiet service logs one line and goes on running, then the line reaches stdout within a second, not at the exit', async () => {
    const child = spawn(process.execPath, [built.entry, '1', '0', 'lingering'], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    try {
      const arrived = new Promise<string>((resolve) => child.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString('utf8'))));
      await new Promise((resolve) => child.once('message', resolve));
      const waited = new Promise<string>((resolve) => setTimeout(() => resolve('nothing within a second'), 1_000));
      const line = await Promise.race([arrived, waited]);
      expect(line).not.toBe('nothing within a second');
      expect(JSON.parse(line)).toMatchObject({ line: 0, phone: '[redacted]', msg: 'inbound text' });
    } finally {
      child.kill();
    }
  });
});
