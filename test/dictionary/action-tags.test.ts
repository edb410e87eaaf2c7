/** The Field Annotation cell's action tags, as the SMS engine needs them. */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { emptyTags, parseActionTags } from '../../src/dictionary/action-tags.js';
import { ActionTagsSchema, type ActionTags } from '../../src/dictionary/model.js';

const tags = (overrides: Partial<ActionTags>): ActionTags => ({ ...emptyTags(), ...overrides });

describe('parseActionTags', () => {
  it.each<[string, Partial<ActionTags>]>([
    ['@HIDDEN', { hidden: true }],
    ['@HIDDEN-SURVEY', { hiddenSurvey: true }],
    ['@READONLY', { readonly: true }],
    ['@NOW', { now: true }],
    ['@TODAY', { today: true }],
    ['@NOW-SERVER', { now: true, clock: 'server' }],
    ['@NOW-UTC', { now: true, clock: 'utc' }],
    ['@TODAY-SERVER', { today: true, clock: 'server' }],
    ['@TODAY-UTC', { today: true, clock: 'utc' }],
    ["@SETVALUE='[age]'", { setValue: '[age]' }],
    ['@PREFILL="yes"', { setValue: 'yes' }],
    ['@FORCE-MINMAX', { forceMinMax: true }],
    ["@DEFAULT='42'", { default: '42' }],
    ['@DEFAULT="Hello, [first_name]"', { default: 'Hello, [first_name]' }],
    ["@HIDECHOICE='1,2'", { hideChoice: ['1', '2'] }],
    ["@HIDECHOICE = '83,107,197'", { hideChoice: ['83', '107', '197'] }],
    ["@SHOWCHOICE='3'", { showChoice: ['3'] }],
    ["@NONEOFTHEABOVE='99'", { noneOfTheAbove: ['99'] }],
    ['@NONEOFTHEABOVE=98,99', { noneOfTheAbove: ['98', '99'] }],
    ['@MAXCHECKED=2', { maxChecked: 2 }],
    ['@CHARLIMIT=160', { charLimit: 160 }],
    ["@WORDLIMIT='50'", { wordLimit: 50 }],
    ["@CALCTEXT(if([age] > 17, 'adult', 'child'))", { calcText: "if([age] > 17, 'adult', 'child')" }],
    ["@CALCDATE([visit_date], 7, 'd')", { calcDate: { source: '[visit_date]', offset: '7', unit: 'd' } }],
    ['@NOW_UTC @HIDDEN', { hidden: true, unknown: ['@NOW_UTC'] }],
    ["@PLACEHOLDER='Type here' @RANDOMORDER", { unknown: ["@PLACEHOLDER='Type here'", '@RANDOMORDER'] }],
    ['SNOMED: 263495000', {}],
    ['Contact me@example.org about this', {}],
    ['Terminology: SNOMED\n@NONEOFTHEABOVE=\'NONE\'\n@HIDECHOICE=\'C07A\'', { noneOfTheAbove: ['NONE'], hideChoice: ['C07A'] }],
  ])('when the annotation is %j, then the tags are read', (annotation, expected) => {
    expect(parseActionTags(annotation).tags).toEqual(tags(expected));
  });

  it('when @IF is nested with quotes and commas, then both branches are parsed tag sets', () => {
    const annotation = "@IF([age] < 18, @HIDECHOICE='3,4' @IF([sex] = '1', @HIDDEN, ''), @DEFAULT='(a, b)') @READONLY";
    expect(parseActionTags(annotation)).toEqual({
      problems: [],
      tags: tags({
        readonly: true,
        ifs: [{
          condition: '[age] < 18',
          whenTrue: tags({ hideChoice: ['3', '4'], ifs: [{ condition: "[sex] = '1'", whenTrue: tags({ hidden: true }), whenFalse: tags({}) }] }),
          whenFalse: tags({ default: '(a, b)' }),
        }],
      }),
    });
  });

  it.each([
    ['@NOW_UTC', /unknown action tag @NOW_UTC; it is ignored \(did you mean @NOW-UTC\?\)/],
    ['@NOWISH', /^unknown action tag @NOWISH; it is ignored$/],
    ['@RANDOMORDER', /^@RANDOMORDER is not supported by redcap-sms: the choices are sent in dictionary order$/],
    ["@MAXCHOICE='1,3'", /@MAXCHOICE is not supported by redcap-sms: every choice stays on offer/],
    ['@PASSWORDMASK', /plain text in the participant's messages/],
    ['@LATITUDE', /no location is captured/],
    ['@LANGUAGE-CURRENT-SURVEY', /as the project's `languageField` instead/],
    ["@LANGUAGE-FORCE='es'", /language comes from the invitation, the project's `languageField` or a switch word/],
    ['@USERNAME', /@USERNAME is not supported/],
    ['@SETVALUE', /@SETVALUE is written in a form we do not understand/],
    ['@MAXCHECKED=two', /@MAXCHECKED needs a whole number/],
    ['@CALCTEXT([a]', /no closing parenthesis/],
    ["@CALCDATE([a], 1)", /@CALCDATE needs \(source, offset, unit\)/],
    ['@IF([a] = 1)', /@IF needs \(condition, tags if true, tags if false\)/],
    ['@DEFAULT', /@DEFAULT is written in a form we do not understand/],
  ])('when the annotation is %j, then a problem explains it', (annotation, reason) => {
    expect(parseActionTags(annotation).problems).toEqual([expect.stringMatching(reason)]);
  });

  it.each(['@HIDDEN-FORM @READONLY-APP', "@PLACEHOLDER='Type here' @HIDEBUTTON", '@INLINE @RICHTEXT @NOMISSING'])(
    'when the annotation is %j (tags with no effect by text message), then there is nothing to say',
    (annotation) => {
      expect(parseActionTags(annotation).problems).toEqual([]);
    },
  );

  test.prop([fc.string({ unit: fc.constantFrom('@', 'IF', 'HIDDEN', '(', ')', "'", '"', ',', '=', ' ', '1', 'x', '\n') })])(
    'when the annotation is any mix of tag syntax, then parsing never throws and gives valid tags',
    (annotation) => {
      const parsed = parseActionTags(annotation);
      expect(ActionTagsSchema.safeParse(parsed.tags).success).toBe(true);
    },
  );
});
