/** Field embedding in a conversation (decision 0047): embedded fields asked after their host, hidden with it, and never a raw `{…}` texted. */
import { describe, expect, it } from 'vitest';
import { conversationSettings, step, type Effect } from '../../src/conversation/index.js';
import type { Survey } from '../../src/dictionary/model.js';
import { designerCsv, loadSurvey } from '../dictionary/helpers.js';

const NOW = new Date('2026-03-02T15:00:00Z');

/** The texts of a whole conversation, one string per step, for the replies given. */
function texts(survey: Survey, replies: readonly string[]): string[] {
  const settings = conversationSettings({});
  const start = { phone: '+15555550123', instrument: 'f', recordId: '1', record: { record_id: '1' } };
  let result = step(survey, null, { type: 'invite', start }, NOW, settings);
  const sent = [bodies(result.effects)];
  for (const text of replies) {
    result = step(survey, JSON.parse(JSON.stringify(result.snapshot)), { type: 'inbound', text }, NOW, settings);
    sent.push(bodies(result.effects));
  }
  return sent;
}

const bodies = (effects: Effect[]): string => effects.flatMap((e) => (e.type === 'send' ? e.parts : [])).join('\n');

const HOST_ROWS = {
  shown: ['host', 'f', '', 'radio', 'Shown {inner}', '1, Yes | 0, No'],
  branchingHidden: ['host', 'f', '', 'radio', 'Hidden {inner}', '1, Yes | 0, No', '', '', '', '', '', "[record_id] = 'none'"],
  taggedHidden: ['host', 'f', '', 'radio', 'Hidden {inner}', '1, Yes | 0, No', '', '', '', '', '', '', '', '', '', '', '', '@HIDDEN'],
  hiddenSurvey: ['host', 'f', '', 'radio', 'Hidden {inner}', '1, Yes | 0, No', '', '', '', '', '', '', '', '', '', '', '', '@HIDDEN-SURVEY'],
} as const;

describe('an embedded field follows its host', () => {
  it.each<[keyof typeof HOST_ROWS, boolean]>([
    ['shown', true], ['branchingHidden', false], ['taggedHidden', false], ['hiddenSurvey', false],
  ])('when the host is %s, then the embedded field is asked: %s', (host, asked) => {
    const survey = loadSurvey(designerCsv(
      ['record_id', 'f', '', 'text', 'ID'],
      ['inner', 'f', '', 'text', 'Inner question'],
      [...HOST_ROWS[host]],
      ['last', 'f', '', 'text', 'Last question'],
    ));
    const sent = texts(survey, ['1', 'x']).join('\n');
    expect(sent.includes('Inner question')).toBe(asked);
    expect(sent).toContain('Last question');
    expect(sent).not.toMatch(/\{[a-z_]+(:icons)?\}/);
  });

  it('when the embedded field sits before its host in the dictionary, then it is still asked after the host', () => {
    const survey = loadSurvey(designerCsv(
      ['record_id', 'f', '', 'text', 'ID'],
      ['unit', 'f', '', 'radio', 'Unit', '1, kg | 2, lb'],
      ['weight', 'f', '', 'text', 'Weight {unit:icons}'],
    ));
    const [first, second] = texts(survey, ['70']);
    expect(first).toMatch(/Weight ______ \(Reply SKIP/);
    expect(second).toMatch(/^Unit \(1\) kg, \(2\) lb\./);
  });

  it('when the embedded field has its own branching, then it is asked only when that shows it too', () => {
    const survey = loadSurvey(designerCsv(
      ['record_id', 'f', '', 'text', 'ID'],
      ['smoke', 'f', '', 'radio', 'Smoke?', '1, Yes, {cigs} a day | 0, No'],
      ['cigs', 'f', '', 'text', 'How many a day?', '', '', '', '', '', '', "[smoke] = '1'"],
      ['last', 'f', '', 'text', 'Last question'],
    ));
    expect(texts(survey, ['0'])[1]).toMatch(/^Last question/);
    expect(texts(survey, ['1'])[1]).toMatch(/^How many a day\?/);
  });
});

describe('what the participant reads in place of a placeholder', () => {
  const survey = loadSurvey(designerCsv(
    ['record_id', 'f', '', 'text', 'ID'],
    ['bp', 'f', '', 'descriptive', 'Blood pressure {sys} / {dia} mmHg'],
    ['sys', 'f', '', 'text', ''],
    ['dia', 'f', '', 'text', ''],
    ['summary', 'f', '', 'text', 'You told us {sys} over {dia}; anything to add?'],
  ));

  it.each<[number, string]>([
    [0, 'Blood pressure ______ / … mmHg'],
    [1, 'Blood pressure 120 / ______ mmHg'],
    [2, 'You told us 120 over 80; anything to add?'],
  ])('when step %i is texted, then it reads %j', (index, expected) => {
    const sent = texts(survey, ['120', '80']);
    expect(sent[index]).toContain(expected);
  });

  it('when the question repeats its descriptive host, then the host is not sent again as lead-in', () => {
    const [first] = texts(survey, []);
    expect(first?.match(/Blood pressure/g)).toHaveLength(1);
  });
});
