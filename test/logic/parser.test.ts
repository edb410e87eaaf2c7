import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { parseLogic, printLogic, type Expr } from '../../src/logic/index.js';

/** The tree without source positions, which legitimately differ between two spellings. */
function shape(expr: Expr): unknown {
  return JSON.parse(JSON.stringify(expr, (key, value: unknown) => (key === 'pos' ? undefined : value)));
}

function canonical(source: string): string {
  const parsed = parseLogic(source);
  if (!parsed.ok) throw parsed.error;
  return printLogic(parsed.expr);
}

describe('the parser accepts what REDCap accepts', () => {
  it.each([
    ['a field', '[age]', '[age]'],
    ['field names in any case', '[AGE] > 1', '[age] > 1'],
    ['a checkbox option', '[cb(3)]', '[cb(3)]'],
    ['a checkbox option with a letter code', '[prereq_checkbox(ABC)] = "1"', "[prereq_checkbox(ABC)] = '1'"],
    ['a checkbox code with a hyphen', "[covid_19_treatment(HO-45523)] = '1'", "[covid_19_treatment(HO-45523)] = '1'"],
    ['an event-qualified field', '[visit_1_arm_1][weight]', '[visit_1_arm_1][weight]'],
    ['an instance number', '[med][2]', '[med][2]'],
    ['an instance smart variable', '[med][previous-instance]', '[med][previous-instance]'],
    ['event, field and instance', '[event_1_arm_1][med][last-instance]', '[event_1_arm_1][med][last-instance]'],
    ['a smart variable', "[record-name] = '12'", "[record-name] = '12'"],
    ['an unknown hyphenated smart variable', '[survey-date-completed:intake] <> ""', "[survey-date-completed:intake] <> ''"],
    ['double-quoted strings', '[sex] = "1"', "[sex] = '1'"],
    ['a string holding a single quote', `[name] = "O'Brien"`, `[name] = "O'Brien"`],
    ['!= as <>', '[a] != 2', '[a] <> 2'],
    ['every comparison', '[a] < 1 or [a] <= 2 or [a] > 3 or [a] >= 4 or [a] = 5 or [a] <> 6', '[a] < 1 or [a] <= 2 or [a] > 3 or [a] >= 4 or [a] = 5 or [a] <> 6'],
    ['AND and OR in any case', '[a] = 1 AND [b] = 2 Or [c] = 3', '[a] = 1 and [b] = 2 or [c] = 3'],
    ['&& and ||', '[a] = 1 && ([b] = 2 || [c] = 3)', '[a] = 1 and ([b] = 2 or [c] = 3)'],
    ['and binding tighter than or', '[a] = 1 or [b] = 2 and [c] = 3', '[a] = 1 or [b] = 2 and [c] = 3'],
    ['redundant parentheses', '(([a] = 1))', '[a] = 1'],
    ['arithmetic precedence', '[a] + [b] * [c] - [d] / 2', '[a] + [b] * [c] - [d] / 2'],
    ['needed parentheses', '([a] + [b]) * [c]', '([a] + [b]) * [c]'],
    ['left-associative minus', '[a] - ([b] - [c])', '[a] - ([b] - [c])'],
    ['power with parenthesised operands', '([height])^(2)', '[height] ^ 2'],
    ['right-associative power', '2 ^ 3 ^ 2', '2 ^ 3 ^ 2'],
    ['unary minus', '-[a] + -(2)', '-[a] + -2'],
    ['unary plus', '+[a]', '[a]'],
    ['decimal numbers', '[a] > .5 and [a] < 10.25', '[a] > .5 and [a] < 10.25'],
    ['booleans', 'if([a] = 1, true, FALSE)', 'if([a] = 1, true, false)'],
    ['functions in any case', "ROUNDDOWN(datediff([dob],'today','y'))", "rounddown(datediff([dob], 'today', 'y'))"],
    ['a function with many arguments', 'concat([a], "-", [b], "-", [c])', "concat([a], '-', [b], '-', [c])"],
    ['# comments', '[a] = 1 # adults only\nand [b] = 2', '[a] = 1 and [b] = 2'],
    ['// comments', '// first line\n[a] = 1 // trailing', '[a] = 1'],
    ['a # inside a string is text', "[a] = '#1'", "[a] = '#1'"],
    ['a // inside a string is text', '[a] = "http://x"', "[a] = 'http://x'"],
    ['multi-line logic', '[a] = 1\n  and\n  [b] = 2', '[a] = 1 and [b] = 2'],
    ['a :value modifier', "[sex:value] = '1'", "[sex:value] = '1'"],
    ['a modifier in any case, on an option, with an event and an instance', '[E_1][cb(2):Value][2] = 1', '[e_1][cb(2):value][2] = 1'],
    ['a :label modifier (REDCap accepts it; the check warns)', "[sex:label] = 'Male'", "[sex:label] = 'Male'"],
  ])('when the logic has %s, then it parses and prints canonically', (_, source, printed) => {
    expect(canonical(source)).toBe(printed);
  });
});

describe('the parser rejects what REDCap rejects, pointing at the problem', () => {
  it.each([
    ['an unknown function', '[a] = 1 and foo([b])', 12, 'unknown function "foo"'],
    ['JavaScript pasted into a calc', 'Math.abs([a])', 4, 'unexpected character "."'],
    ['a bare word', '[a] = yes', 6, '"yes" is not a value'],
    ['an unclosed bracket', '[a = 1', 0, 'no matching "]"'],
    ['an unclosed string', "[a] = 'x", 6, 'no closing'],
    ['an unclosed parenthesis', '([a] = 1', 0, 'never closed'],
    ['a dangling operator', '[a] = 1 and', 8, 'expected a value after "and"'],
    ['a missing operator', '[a] [b]', 4, 'is an operator missing?'],
    ['a stray character', '[a] = 1 ; [b] = 2', 8, 'unexpected character ";"'],
    ['==', '[a] == 1', 5, 'expected a value'],
    ['empty logic', '   ', 0, 'empty'],
    ['a bad field name', '[a b] = 1', 0, 'is not a field name'],
    ['an empty modifier', '[a:] = 1', 0, 'is not a field name'],
    ['the wrong number of arguments', 'round()', 0, 'round() takes 1 to 2 arguments, not 0'],
    ['a not operator (REDCap has none)', 'not [a] = 1', 0, '"not" is not a value'],
    ['four bracket groups', '[e][a][1][2]', 9, 'too many'],
    ['a datediff unit REDCap has not', "datediff('2024-01-01', '2024-01-31', 'w')", 37, "datediff() has no unit 'w': use one of 'y', 'M', 'd', 'h', 'm', 's'"],
    ['a datediff unit in words', "datediff([dob], 'today', 'days')", 25, "no unit 'days'"],
    ['a datediff unit in the wrong case', "datediff([dob], 'today', 'D')", 25, "no unit 'D'"],
    ['a datediff fourth argument that is no date format', "datediff([dob], 'today', 'd', 'iso')", 30, "fourth argument 'iso' is neither a date format"],
  ])('when the logic has %s, then the error sits at its position', (_, source, position, message) => {
    const parsed = parseLogic(source);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.position).toBe(position);
    expect(parsed.error.message).toContain(message);
  });
});

const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/);
const leaf: fc.Arbitrary<string> = fc.oneof(
  name.map((n) => `[${n}]`),
  fc.tuple(name, fc.stringMatching(/^[A-Za-z0-9]{1,4}$/)).map(([n, c]) => `[${n}(${c})]`),
  fc.tuple(name, name).map(([e, n]) => `[${e}][${n}]`),
  fc.tuple(name, fc.integer({ min: 1, max: 20 })).map(([n, i]) => `[${n}][${i}]`),
  fc.tuple(name, fc.constantFrom('value', 'label', 'hideunderscore')).map(([n, m]) => `[${n}:${m}]`),
  fc.nat({ max: 1000 }).map(String),
  fc.stringMatching(/^[a-zA-Z0-9 ]{0,6}$/).map((s) => `'${s}'`),
  fc.constantFrom('[record-name]', '[event-name]', 'true', 'false'),
);
const operator = fc.constantFrom('=', '<>', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/', '^', 'and', 'or', 'AND', '&&', '||');
const expression: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.tuple(tie('expr'), operator, tie('expr')).map(([l, op, r]) => `${l} ${op} ${r}`),
    tie('expr').map((e) => `(${e})`),
    tie('expr').map((e) => `-${e}`),
    fc.tuple(fc.constantFrom('if', 'sum', 'round', 'concat'), fc.array(tie('expr'), { minLength: 1, maxLength: 3 }))
      .map(([f, args]) => (f === 'if' ? `if(${[...args, '1', '2', '3'].slice(0, 3).join(', ')})` : f === 'round' ? `round(${args.slice(0, 2).join(',')})` : `${f}(${args.join(', ')})`)),
  ),
})).expr;

describe('printing', () => {
  test.prop([expression], { numRuns: 300 })('when any expression is parsed, printed and parsed again, then the tree is the same', (source) => {
    const first = parseLogic(source);
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    const printed = printLogic(first.expr);
    const second = parseLogic(printed);
    expect(second.ok).toBe(true);
    if (!second.ok) return;
    expect(shape(second.expr)).toEqual(shape(first.expr));
    expect(printLogic(second.expr)).toBe(printed);
  });
});
