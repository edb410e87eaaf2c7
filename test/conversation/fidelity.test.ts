/** What a participant sees where REDCap's survey behaviour needs care over SMS: smart variables, defaults, matrices, embedding. */
import { describe, expect, it } from 'vitest';
import {
  conversationSettings, restore, step,
  type ConversationSettingsInput, type ConversationStart, type Effect, type StepResult,
} from '../../src/conversation/index.js';
import { parseDictionary } from '../../src/dictionary/index.js';
import type { Survey } from '../../src/dictionary/model.js';
import { DESIGNER_HEADER } from '../dictionary/helpers.js';

const NOW = new Date('2026-03-02T15:00:00Z');
const PHONE = '+15555550123';

interface Row {
  name: string;
  type: string;
  label?: string;
  section?: string;
  choices?: string;
  validation?: string;
  branching?: string;
  required?: boolean;
  matrix?: string;
  annotation?: string;
}

/** A one-form dictionary ("daily") in the Designer's CSV layout, read by the real loader. */
function surveyOf(rows: Row[]): Survey {
  const quote = (cell = ''): string => (/[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
  const lines = [{ name: 'record_id', type: 'text', label: 'ID' }, ...rows].map((row: Row) => [
    row.name, 'daily', row.section, row.type, row.label ?? row.name, row.choices, '', row.validation, '', '', '',
    row.branching, row.required === true ? 'y' : '', '', '', row.matrix, '', row.annotation,
  ].map(quote).join(','));
  const load = parseDictionary([DESIGNER_HEADER, ...lines].join('\n'));
  if (load.survey === null) throw new Error(JSON.stringify(load.diagnostics));
  return load.survey;
}

interface Run {
  result: StepResult;
  /** Every text sent, in order, one string per step. */
  sent: string[];
  /** Every value written, merged in order. */
  written: Record<string, string>;
}

function converse(survey: Survey, replies: readonly string[], options: { settings?: ConversationSettingsInput; start?: Partial<ConversationStart> } = {}): Run {
  const settings = conversationSettings(options.settings ?? {});
  const start: ConversationStart = { phone: PHONE, instrument: 'daily', recordId: '1', record: { record_id: '1' }, ...options.start };
  let result = step(survey, null, { type: 'invite', start }, NOW, settings);
  const run: Run = { result, sent: [texts(result.effects)], written: writes(result.effects) };
  for (const text of replies) {
    result = step(survey, JSON.parse(JSON.stringify(result.snapshot)), { type: 'inbound', text }, NOW, settings);
    run.result = result;
    run.sent.push(texts(result.effects));
    Object.assign(run.written, writes(result.effects));
  }
  return run;
}

const texts = (effects: Effect[]): string => effects.flatMap((e) => (e.type === 'send' ? e.parts : [])).join('\n');
const writes = (effects: Effect[]): Record<string, string> =>
  Object.assign({}, ...effects.flatMap((e) => (e.type === 'write' ? [e.values] : [])));

describe('smart variables in a conversation', () => {
  const survey = surveyOf([
    { name: 'mood', type: 'radio', label: 'How is your mood today ([event-label], arm [arm-number])? Thank you for taking [survey-title].', choices: '1, Good | 2, Bad' },
  ]);

  it('when the invitation names its event and the project titles the survey, then both are piped', () => {
    const run = converse(survey, [], {
      settings: { titles: { daily: 'the Daily Check-in' } },
      start: { event: { name: 'week_2_arm_2', label: 'Week 2', armNumber: 2 } },
    });
    expect(run.sent[0]).toContain('How is your mood today (Week 2, arm 2)? Thank you for taking the Daily Check-in.');
  });

  it('when nothing is configured, then the survey title is the instrument label and the event pipes blank', () => {
    const run = converse(survey, []);
    expect(run.sent[0]).toContain('How is your mood today (, arm )? Thank you for taking Daily.');
  });

  it('when the conversation has an event, then it survives the snapshot and is still piped after a reply', () => {
    const run = converse(survey, ['9'], { start: { event: { name: 'week_2_arm_2', label: 'Week 2' } } });
    expect(restore(run.result.snapshot).context.event).toEqual({ name: 'week_2_arm_2', label: 'Week 2' });
    expect(run.sent[1]).toContain('(Week 2, arm )');
  });
});

describe('stamps and set values on fields the participant never sees', () => {
  // NOW is 15:00 UTC: 10:00 in New York (the project), 00:00 the next day in Tokyo (the participant).
  const survey = surveyOf([
    { name: 'zone', type: 'text', annotation: '@HIDDEN' },
    { name: 'at_local', type: 'text', validation: 'datetime_ymd', annotation: '@NOW @HIDDEN' },
    { name: 'at_server', type: 'text', validation: 'datetime_ymd', annotation: '@NOW-SERVER @HIDDEN' },
    { name: 'at_utc', type: 'text', validation: 'datetime_ymd', annotation: '@NOW-UTC @HIDDEN' },
    { name: 'day_server', type: 'text', validation: 'date_ymd', annotation: '@TODAY-SERVER @HIDDEN' },
    { name: 'source', type: 'text', annotation: "@SETVALUE='sms' @HIDDEN" },
    { name: 'mood', type: 'radio', label: 'Mood?', choices: '1, Good | 2, Bad' },
  ]);
  const options = { settings: { timeZone: 'America/New_York', timeZoneField: 'zone' }, start: { record: { record_id: '1', zone: 'Asia/Tokyo', source: 'web' } } };

  it('when the conversation passes them, then each is written from its own clock, and @SETVALUE overwrites', () => {
    expect(converse(survey, [], options).written).toEqual({
      at_local: '2026-03-03 00:00', at_server: '2026-03-02 10:00', at_utc: '2026-03-02 15:00', day_server: '2026-03-02', source: 'sms',
    });
  });
});

describe('@DEFAULT and @SETVALUE on a question that is asked', () => {
  const survey = surveyOf([
    { name: 'mood', type: 'radio', label: 'Mood?', choices: '1, Good | 2, Bad', annotation: "@DEFAULT='2'" },
    { name: 'name', type: 'text', label: 'Your name?', required: true, annotation: "@DEFAULT='[first] [last]'" },
    { name: 'fruit', type: 'checkbox', label: 'Fruit?', choices: '1, Apples | 2, Pears | 3, Plums', annotation: "@DEFAULT='1,3'" },
    { name: 'visit', type: 'text', label: 'Visit date?', validation: 'date_mdy', annotation: "@DEFAULT='2026-03-01'" },
    { name: 'channel', type: 'text', label: 'Channel?', annotation: "@SETVALUE='sms'" },
    { name: 'nick', type: 'text', label: 'Nickname?', annotation: "@DEFAULT='[nothing_yet]'" },
    { name: 'nothing_yet', type: 'text', label: 'Anything else?' },
    { name: 'first', type: 'text', annotation: '@HIDDEN' },
    { name: 'last', type: 'text', annotation: '@HIDDEN' },
  ]);
  const start = { record: { record_id: '1', first: 'Ana', last: 'Lee', channel: 'web' } };
  const KEEP = 'Reply SKIP to keep it, or send another answer.';

  it('when the question is sent, then the filled-in answer is shown instead of the skip hint, and nothing is written yet', () => {
    const run = converse(survey, [], { start });
    expect(run.sent[0]).toContain(`Mood? (1) Good, (2) Bad. (Already filled in: Bad. ${KEEP})`);
    expect(run.sent[0]).not.toContain('(Reply SKIP to skip)');
    expect(run.written).toEqual({});
  });

  it.each([
    ['a choice', [], `(Already filled in: Bad. ${KEEP})`, ['SKIP'], { mood: '2', daily_complete: '0' }],
    ['a piped text on a required question', ['SKIP'], `Your name? (Already filled in: Ana Lee. ${KEEP})`, ['SKIP'], { name: 'Ana Lee' }],
    ['a checkbox', ['SKIP', 'SKIP'], `(Already filled in: Apples, Plums. ${KEEP})`, ['SKIP'], { fruit___1: '1', fruit___2: '0', fruit___3: '1' }],
    ['a date, shown in the field’s order', ['SKIP', 'SKIP', 'SKIP'], `(month-day-year) (Already filled in: 03-01-2026. ${KEEP})`, ['SKIP'], { visit: '2026-03-01' }],
    ['@SETVALUE over what the record had', ['SKIP', 'SKIP', 'SKIP', 'SKIP'], `Channel? (Already filled in: sms. ${KEEP})`, ['SKIP'], { channel: 'sms' }],
  ])('when %s is filled in and the participant replies SKIP, then it is kept', (_, before, shown, replies, kept) => {
    const asked = converse(survey, before, { start });
    expect(asked.sent.at(-1)).toContain(shown);
    const run = converse(survey, [...before, ...replies], { start });
    expect(writes(run.result.effects)).toMatchObject(kept);
  });

  it('when the participant sends another answer, then it replaces the filled-in one', () => {
    const run = converse(survey, ['1'], { start });
    expect(writes(run.result.effects)).toMatchObject({ mood: '1' });
  });

  it('when the default pipes only blanks, then nothing is filled in and SKIP skips', () => {
    const before = ['SKIP', 'SKIP', 'SKIP', 'SKIP', 'SKIP'];
    const asked = converse(survey, before, { start });
    expect(asked.sent.at(-1)).toContain('Nickname? (Reply SKIP to skip)');
    const skipped = converse(survey, [...before, 'SKIP'], { start });
    expect(skipped.sent.at(-1)).toContain('Anything else?');
    expect(skipped.written).not.toHaveProperty('nick');
  });
});

describe('a matrix header', () => {
  const rows = (firstBranching?: string): Row[] => [
    { name: 'knows', type: 'yesno', label: 'Do you sleep?' },
    { name: 'sleep', type: 'radio', label: 'Sleep', section: 'Over the last 2 weeks, how often…', choices: '0, Never | 1, Often', matrix: 'freq', ...(firstBranching === undefined ? {} : { branching: firstBranching }) },
    { name: 'eat', type: 'radio', label: 'Eat', choices: '0, Never | 1, Often', matrix: 'freq' },
    { name: 'walk', type: 'radio', label: 'Walk', choices: '0, Never | 1, Often', matrix: 'freq' },
  ];
  const HEADER = 'Over the last 2 weeks, how often…';

  it('when the rows are asked in turn, then the header comes once, with the first row', () => {
    const run = converse(surveyOf(rows()), ['1', '0', '1']);
    expect(run.sent.slice(1).map((text) => text.includes(HEADER))).toEqual([true, false, false]);
  });

  it('when the first row is hidden by branching, then the header comes with the first row that is asked', () => {
    const run = converse(surveyOf(rows("[knows] = '1'")), ['0', '1']);
    expect(run.sent[1]).toContain(`${HEADER}\n\nEat (0) Never, (1) Often.`);
    expect(run.sent[2]).not.toContain(HEADER);
  });
});
