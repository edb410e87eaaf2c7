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

/** A one-form dictionary from rows of Designer cells (name, form, section, type, label, choices, …). */
function surveyOf(rows: string[][]): Survey {
  const quote = (cell: string): string => (/[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
  const lines = [['record_id', 'daily', '', 'text', 'ID'], ...rows]
    .map((row) => [...row, ...Array<string>(18 - row.length).fill('')].map(quote).join(','));
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
    ['mood', 'daily', '', 'radio', 'How is your mood today ([event-label], arm [arm-number])? Thank you for taking [survey-title].', '1, Good | 2, Bad'],
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
    ['zone', 'daily', '', 'text', 'Zone', '', '', '', '', '', '', '', '', '', '', '', '', '@HIDDEN'],
    ['at_local', 'daily', '', 'text', 'Local', '', '', 'datetime_ymd', '', '', '', '', '', '', '', '', '', '@NOW @HIDDEN'],
    ['at_server', 'daily', '', 'text', 'Server', '', '', 'datetime_ymd', '', '', '', '', '', '', '', '', '', '@NOW-SERVER @HIDDEN'],
    ['at_utc', 'daily', '', 'text', 'UTC', '', '', 'datetime_ymd', '', '', '', '', '', '', '', '', '', '@NOW-UTC @HIDDEN'],
    ['day_server', 'daily', '', 'text', 'Server day', '', '', 'date_ymd', '', '', '', '', '', '', '', '', '', '@TODAY-SERVER @HIDDEN'],
    ['source', 'daily', '', 'text', 'Source', '', '', '', '', '', '', '', '', '', '', '', '', "@SETVALUE='sms' @HIDDEN"],
    ['mood', 'daily', '', 'radio', 'Mood?', '1, Good | 2, Bad'],
  ]);
  const options = { settings: { timeZone: 'America/New_York', timeZoneField: 'zone' }, start: { record: { record_id: '1', zone: 'Asia/Tokyo', source: 'web' } } };

  it('when the conversation passes them, then each is written from its own clock, and @SETVALUE overwrites', () => {
    expect(converse(survey, [], options).written).toEqual({
      at_local: '2026-03-03 00:00', at_server: '2026-03-02 10:00', at_utc: '2026-03-02 15:00', day_server: '2026-03-02', source: 'sms',
    });
  });
});
