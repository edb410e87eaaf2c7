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

  const rows = JSON.stringify([
    { study_id: '1', redcap_event_name: 'enrollment_arm_1', sex: '0' },
    { study_id: '1', redcap_event_name: 'dose_1_arm_1', avg_pills_pmq: '3' },
    { study_id: '1', redcap_event_name: 'dose_2_arm_1', avg_pills_pmq: '1' },
  ]);
  const bp = JSON.stringify([
    { record_id: '1', sex: '0' },
    { record_id: '1', redcap_repeat_instrument: 'bp', redcap_repeat_instance: 1, bp_systolic: '120' },
    { record_id: '1', redcap_repeat_instrument: 'bp', redcap_repeat_instance: 2, bp_systolic: '135' },
  ]);
  const phpcap = ['--dictionary', 'phpcap-longitudinal-metadata.csv', '--design', '../redcap/designs/phpcap-longitudinal.yaml'];
  const repeating = ['--dictionary', 'redcapr-repeating-instruments.csv', '--design', '../redcap/designs/redcapr-repeating-instruments.yaml'];

  it.each([
    ['another event', ["[enrollment_arm_1][sex] = '0'", '--data', rows, '--event', 'dose_2_arm_1', ...phpcap], 'true'],
    ['the previous event', ['[previous-event-name][avg_pills_pmq] - [avg_pills_pmq]', '--data', rows, '--event', 'dose_2_arm_1', ...phpcap], '2'],
    ['the next event label', ['[next-event-label]', '--data', rows, '--event', 'dose_2_arm_1', ...phpcap], 'Dose 3'],
    ['the previous instance', ['[bp_systolic][previous-instance]', '--data', bp, '--instrument', 'bp', '--instance', '2', ...repeating], '120'],
    ['the instance itself and the record around it', ["[bp_systolic] > 130 and [sex] = '0'", '--data', bp, '--instrument', 'bp', '--instance', '2', ...repeating], 'true'],
    ['the last instance without a dictionary', ['[n][last-instance]', '--data', '[{"n":"a","redcap_repeat_instrument":"diary","redcap_repeat_instance":"4"}]', '--instrument', 'diary', '--instance', '1'], 'a'],
  ])('when rows across events or instances are given and logic reads %s, then it prints what REDCap would', async (_, argv, printed) => {
    const result = await run('logic', 'eval', ...argv);
    expect(result).toEqual({ code: 0, out: `${printed}\n`, err: '' });
  });

  it.each([
    ['a row that is not an object', ['[a] = 1', '--data', '[{"a":"1"}, 2]'], '--data: row 2 must be a JSON object'],
    ['a nested value in a row', ['[a] = 1', '--data', '[{"a":{"b":1}}]'], '--data row 1: the value of "a" must be text or a number'],
    ['rows in events without --event', ['[sex] = 1', '--data', rows], '--event is needed: the rows are in events enrollment_arm_1, dose_1_arm_1, dose_2_arm_1'],
    ['an event the design does not have', ['[sex] = 1', '--data', rows, '--event', 'week_9_arm_1', ...phpcap], 'the event week_9_arm_1 is not in the design'],
    ['--instance without its instrument', ['[bp_systolic] = 1', '--data', bp, '--instance', '2'], '--instance with rows needs --instrument'],
    ['an instrument that does not repeat', ['[sex] = 1', '--data', bp, '--instrument', 'demographics', '--instance', '2', ...repeating], '--instance: demographics does not repeat'],
    ['a design that does not parse', ['[a] = 1', '--design', 'redcapr-simple.csv'], 'the design redcapr-simple.csv has errors'],
    ['a design naming a form the dictionary lacks', ['[sex] = 1', '--dictionary', 'redcapr-simple.csv', '--design', '../redcap/designs/redcapr-repeating-instruments.yaml'], 'repeating.0.form: bp is not an instrument of the dictionary'],
    ['a missing design file', ['[a] = 1', '--design', 'nope.yaml'], 'cannot read the design nope.yaml'],
  ])('when given %s, then it is a usage error (exit 2) that says what to change', async (_, argv, message) => {
    const result = await run('logic', 'eval', ...argv);
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.err).toContain(message);
  });
});
