import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import type { CliIo } from '../../src/cli/io.js';
import { FIXTURES } from './helpers.js';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => { out += t; }, err: (t) => { err += t; }, env: {}, cwd: FIXTURES };
  const code = await runCli(argv, io);
  return { code, out, err };
}

describe('redcap-sms logic eval', () => {
  it.each([
    ['a true branching rule', ["[age] >= 18 and ([sex] = '1' or [cb(3)] = '1')", '--data', '{"age":"20","sex":"0","cb___3":"1"}'], 'true'],
    ['a false rule', ['[age] >= 18', '--data', '{"age":17}'], 'false'],
    ['blank arithmetic', ['[age] + 1'], '(blank)'],
    ['a calculation', ['round([w] / (([h] / 100) ^ 2), 1)', '--data', '{"w":"70","h":"175"}'], '22.9'],
    ['today in a time zone', ["datediff('2024-03-01', 'today', 'd')", '--now', '2024-03-10T15:00:00Z', '--timezone', 'Pacific/Kiritimati'], '10'],
    ['smart variables', ['concat([record-name], "/", [event-name], "/", [current-instance])', '--record', '7', '--event', 'base_arm_1', '--instance', '2'], '7/base_arm_1/2'],
    ['a dictionary', ["[weight] > 60 and [sex] = '1'", '--dictionary', 'redcapr-simple.csv', '--data', '{"weight":"70","sex":"1"}'], 'true'],
  ])('when evaluating %s, then it prints the result and exits 0', async (_, argv, printed) => {
    const result = await run('logic', 'eval', ...argv);
    expect(result).toEqual({ code: 0, out: `${printed}\n`, err: '' });
  });

  it.each([
    ['an unknown function', ['[a] = 1 and foo([b])'], 'unknown function "foo"', '  [a] = 1 and foo([b])\n              ^\n'],
    ['a dangling operator on the second line', ['[a] = 1\nand'], 'expected a value after "and"', '  and\n  ^\n'],
    ['a field not in the dictionary', ['[weight] > 1 and [wieght] < 2', '--dictionary', 'redcapr-simple.csv'], '[wieght] is not a field', '  [weight] > 1 and [wieght] < 2\n                   ^\n'],
  ])('when the expression has %s, then it shows a caret and exits 1', async (_, argv, message, caret) => {
    const result = await run('logic', 'eval', ...argv);
    expect(result.code).toBe(1);
    expect(result.out).toBe('');
    expect(result.err).toContain(message);
    expect(result.err.endsWith(caret)).toBe(true);
  });

  it.each([
    ['bad JSON in --data', ['[a] = 1', '--data', '{age: 1}'], '--data is not valid JSON'],
    ['--data that is not an object', ['[a] = 1', '--data', '[1]'], 'must be a JSON object'],
    ['a bad --now', ['[a] = 1', '--now', 'yesterday'], '--now "yesterday"'],
    ['a bad --timezone', ['[a] = 1', '--timezone', 'Mars/Base'], '--timezone "Mars/Base"'],
    ['a missing expression', [], "missing required argument 'expression'"],
    ['a missing dictionary file', ['[a] = 1', '--dictionary', 'nope.csv'], 'cannot read the dictionary nope.csv'],
  ])('when given %s, then it is a usage error (exit 2)', async (_, argv, message) => {
    const result = await run('logic', 'eval', ...argv);
    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
  });
});
