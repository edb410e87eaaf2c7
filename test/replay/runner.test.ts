import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { parseFixture, replayFile } from '../../src/replay/index.js';

const DICTIONARY = resolve('fixtures/dictionaries/sms-demo.csv');

function fixtureFile(steps: string, extra = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'replay-'));
  const file = join(dir, 'case.yaml');
  writeFileSync(file, `dictionary: ${DICTIONARY}\ninstrument: weekly\nstart: 2026-03-02T15:00:00Z\n${extra}steps:\n${steps}`);
  return file;
}

const INVITATION = 'You are invited to answer a short survey by text message. Reply STOP to opt out.\\nHow was your energy this week? (1) Low, (2) Medium, (3) High.';

function cli(argv: string[]) {
  const out: string[] = [];
  const io = { out: (s: string) => out.push(s), err: (s: string) => out.push(s), env: {}, cwd: process.cwd() };
  return runCli(argv, io).then((code) => ({ code, output: out.join('') }));
}

describe('the replay runner', () => {
  it.each([
    ['an exact text that matches', `  - invite\n  - expect: "${INVITATION}"\n`, []],
    ['a contains that matches', '  - invite\n  - expect: { contains: energy }\n', []],
    ['a pattern that matches', '  - invite\n  - expect: { matches: "\\\\(3\\\\) High\\\\.$" }\n', []],
    ['a text that differs', '  - invite\n  - expect: Hello\n', [/expected "Hello"/]],
    ['a text nobody expected', '  - invite\n  - send: "2"\n  - expect: { contains: One word }\n', [/unexpected text/]],
    ['an expectation with no text', '  - invite\n  - expect: { contains: energy }\n  - expect: More\n', [/nothing was sent/]],
    ['a wrong status', '  - invite\n  - expect: { contains: energy }\n  - expect-status: completed\n', [/status "asking", expected "completed"/]],
    ['a wrong record value', '  - invite\n  - expect: { contains: energy }\n  - send: "3"\n  - expect: { contains: One word }\n  - expect-record: { wk_energy: "2" }\n', [/wk_energy = "3", expected "2"/]],
  ])('when a fixture has %s, then the failures are %j', async (_case, steps, failures) => {
    const result = await replayFile(fixtureFile(steps));
    expect(result.failures).toHaveLength(failures.length);
    failures.forEach((pattern, index) => expect(result.failures[index]).toMatch(pattern));
  });

  it('when replayed with update, then the steps carry the texts actually sent, in order', async () => {
    const result = await replayFile(fixtureFile('  - invite\n  - expect: Hello\n  - send: "3"\n'), { update: true });
    expect(result.updatedSteps).toEqual([
      'invite',
      { expect: INVITATION.replace('\\n', '\n') },
      { send: '3' },
      { expect: 'One word for your week? (Reply SKIP to skip)' },
    ]);
  });

  it.each([
    ['steps: []', /steps/],
    ['dictionary: x.csv\ninstrument: a\nstart: yesterday\nsteps: [invite]', /start/],
    ['dictionary: x.csv\ninstrument: a\nstart: 2026-01-01T00:00:00Z\nsteps: [{ wait: 4 hours }]', /duration/],
    ['dictionary: x.csv\ninstrument: a\nstart: 2026-01-01T00:00:00Z\nsteps: [{ shout: hi }]', /steps/],
  ])('when a fixture reads %j, then it is refused with a message about %s', (text, message) => {
    const load = parseFixture(text);
    expect(load.ok).toBe(false);
    if (!load.ok) expect(load.error).toMatch(message);
  });

  it('when `replay` runs on the fixture folder, then every fixture passes and the exit code is 0', async () => {
    const { code, output } = await cli(['replay', 'fixtures/conversations']);
    expect(output).toMatch(/(\d+) of \1 fixtures passed/);
    expect(code).toBe(0);
  });

  it('when `replay` meets a failing fixture, then it says why and exits 1', async () => {
    const { code, output } = await cli(['replay', fixtureFile('  - invite\n  - expect: Hello\n')]);
    expect(output).toMatch(/FAILED .*case\.yaml\n {2}- step 2 \(expect\): expected "Hello"/);
    expect(code).toBe(1);
  });

  it('when `replay --update` runs, then the fixture file is rewritten and passes afterwards', async () => {
    const file = fixtureFile('  - invite\n  - expect: Hello\n', '# QA wrote this\n');
    const { code } = await cli(['replay', file, '--update']);
    expect(code).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('# QA wrote this');
    expect((await replayFile(file)).failures).toEqual([]);
  });

  it('when `replay` is given a path that does not exist, then it is a usage error', async () => {
    const { code, output } = await cli(['replay', 'no/such/fixture.yaml']);
    expect([code, output]).toEqual([2, 'error: no such fixture or folder: no/such/fixture.yaml\n']);
  });
});
