import { describe, expect, it } from 'vitest';
import {
  conversationSettings, interviewer, restore, step,
  type ConversationEvent, type ConversationSettingsInput, type Effect, type StepResult,
} from '../../src/conversation/index.js';
import { demoSurvey, PHONE, START } from './demo-survey.js';

const survey = demoSurvey();
const NOW = new Date('2026-03-02T15:00:00Z');

/** Invites, then replays `texts` as inbound messages, round-tripping the snapshot through JSON each time. */
function converse(texts: readonly string[], input: ConversationSettingsInput = {}): StepResult {
  const settings = conversationSettings(input);
  let result = step(survey, null, { type: 'invite', start: START }, NOW, settings);
  for (const text of texts) result = next(result, { type: 'inbound', text }, settings);
  return result;
}

function next(result: StepResult, event: ConversationEvent, settings = conversationSettings(), now = NOW): StepResult {
  return step(survey, JSON.parse(JSON.stringify(result.snapshot)), event, now, settings);
}

const texts = (effects: Effect[]): string[] => effects.flatMap((e) => (e.type === 'send' ? e.parts : []));
const writes = (effects: Effect[]): Record<string, string> =>
  Object.assign({}, ...effects.flatMap((e) => (e.type === 'write' ? [e.values] : [])));
const types = (effects: Effect[]): string[] => effects.map((e) => e.type);

describe('the interviewer flow', () => {
  it.each([
    { given: [], reply: '1', status: 'asking', asks: 'How many hours', wrote: { mood: '1', daily_complete: '0' } },
    { given: [], reply: 'Good', status: 'asking', asks: 'How many hours', wrote: { mood: '1' } },
    { given: [], reply: '3', status: 'asking', asks: 'What made your mood bad', wrote: { mood: '3' } },
    { given: [], reply: '9', status: 'asking', asks: 'That is not one of the choices', wrote: {} },
    { given: ['1'], reply: '2', status: 'confirming', asks: 'outside the expected range', wrote: {} },
    { given: ['1', '2'], reply: 'yes', status: 'asking', asks: 'Which symptoms', wrote: { sleep_hours: '2' } },
    { given: ['1', '2'], reply: '5', status: 'asking', asks: 'Which symptoms', wrote: { sleep_hours: '5' } },
    { given: ['1'], reply: '7', status: 'asking', asks: 'Which symptoms', wrote: { sleep_hours: '7' } },
  ])('when the participant has said $given and replies $reply, then the conversation is $status and the next text has "$asks"', ({ given, reply, status, asks, wrote }) => {
    const result = converse([...given, reply]);
    expect(result.status).toBe(status);
    expect(texts(result.effects).join('\n')).toContain(asks);
    expect(writes(result.effects)).toMatchObject(wrote);
  });

  it('when an answer changes a calc field, then REDCap is not sent the calc (it computes it and refuses imports of it) but the engine still knows it', () => {
    const result = converse(['1', '7']);
    expect(writes(result.effects)).toEqual({ sleep_hours: '7' });
    expect(restore(result.snapshot).context.record).toMatchObject({ sleep_hours: '7', sleep_score: '70' });
  });

  it('when the last question is answered, then the form is complete, timers stop and the completion text goes', () => {
    const result = converse(['1', '8', '99', 'no', 'true', '0', 'SKIP', 'done']);
    expect(result).toMatchObject({ status: 'completed', open: false });
    expect(writes(result.effects)).toEqual({ comments: 'done', daily_complete: '2' });
    expect(types(result.effects)).toEqual(['write', 'cancelTimers', 'send']);
  });
});

describe('keywords in the machine', () => {
  it.each([
    { given: [], text: 'STOP', status: 'opted_out', effects: ['optOut', 'cancelTimers'] },
    { given: ['1'], text: 'quit', status: 'opted_out', effects: ['optOut', 'cancelTimers'] },
    { given: [], text: 'HELP', status: 'asking', effects: ['send'] },
    { given: [], text: 'SKIP', status: 'asking', effects: ['send', 'cancelTimers'] },
    { given: ['1'], text: 'SKIP', status: 'asking', effects: ['send', 'cancelTimers'] },
    { given: ['1'], text: 'BACK', status: 'asking', effects: ['send', 'cancelTimers'] },
    { given: [], text: 'REPEAT', status: 'asking', effects: ['send', 'cancelTimers'] },
    { given: ['STOP'], text: 'START', status: 'asking', effects: ['optIn', 'send', 'cancelTimers'] },
    { given: ['STOP'], text: 'yes', status: 'asking', effects: ['optIn', 'send', 'cancelTimers'] },
    { given: ['STOP'], text: '1', status: 'opted_out', effects: [] },
    { given: ['STOP'], text: 'HELP', status: 'opted_out', effects: [] },
    { given: ['1', '2'], text: 'STOP', status: 'opted_out', effects: ['optOut', 'cancelTimers'] },
  ])('when the participant has said $given and sends $text, then the conversation is $status with effects $effects', ({ given, text, status, effects }) => {
    const result = converse([...given, text]);
    expect(result.status).toBe(status);
    expect(types(result.effects)).toEqual(effects);
    expect(Object.values(writes(result.effects))).not.toContain(text);
  });

  it('when a keyword arrives, then it is never stored as an answer, even in a free-text field', () => {
    const atFreeText = converse(['3', 'HELP', 'REPEAT', 'back', '3']);
    expect(atFreeText.status).toBe('asking');
    expect(writes(atFreeText.effects)).toEqual({ mood: '3' });
  });

  it.each([
    ['STOP', { opted_out_at: '2026-03-02 09:00:00' }],
    ['START', { opted_out_at: '' }],
  ])('when %s is sent in a project with an opt-out field, then REDCap gets %j', (text, wrote) => {
    const result = converse(text === 'START' ? ['STOP', 'START'] : ['STOP'], {
      optOutField: 'opted_out_at', timeZone: 'America/Chicago',
    });
    expect(writes(result.effects)).toEqual(wrote);
  });

  it('when STOP is sent with opt-out confirmations on, then exactly one confirmation text goes', () => {
    const result = converse(['STOP'], { optOutConfirmation: true });
    expect(texts(result.effects)).toEqual(['You will not receive any more texts from this survey. Reply START to opt back in.']);
  });
});

describe('timers', () => {
  const settings = conversationSettings({ reminders: ['PT4H'], expiry: 'P1D' });
  const invited = step(survey, null, { type: 'invite', start: START }, NOW, settings);
  const revision = invited.snapshot.context.timerRevision;

  it('when invited, then a reminder and an expiry are set for the current revision', () => {
    expect(invited.effects.filter((e) => e.type === 'setTimer')).toEqual([
      { type: 'setTimer', kind: 'reminder', at: '2026-03-02T19:00:00.000Z', revision },
      { type: 'setTimer', kind: 'expiry', at: '2026-03-03T15:00:00.000Z', revision },
    ]);
  });

  it.each([
    { kind: 'reminder', offset: 0, status: 'asking', sends: 1 },
    { kind: 'expiry', offset: 0, status: 'expired', sends: 1 },
    { kind: 'reminder', offset: -1, status: 'asking', sends: 0 },
    { kind: 'expiry', offset: -1, status: 'asking', sends: 0 },
  ] as const)('when a $kind timer fires for revision offset $offset, then the status is $status with $sends texts', ({ kind, offset, status, sends }) => {
    const fired = next(invited, { type: 'timer', kind, revision: revision + offset }, settings);
    expect(fired.status).toBe(status);
    expect(texts(fired.effects)).toHaveLength(sends);
    if (sends === 0) expect(fired.snapshot).toEqual(invited.snapshot);
  });

  it('when the participant answers, then earlier timers become stale', () => {
    const answered = next(invited, { type: 'inbound', text: '1' }, settings);
    const stale = next(answered, { type: 'timer', kind: 'reminder', revision }, settings);
    expect(stale.effects).toEqual([]);
    expect(stale.snapshot).toEqual(answered.snapshot);
  });
});

describe('snapshots', () => {
  it('when any snapshot the machine writes is serialised and restored, then it is unchanged', () => {
    const states = [converse([]), converse(['1', '2']), converse(['STOP']), converse(['1', '8', '99', 'no', 'true', '0', 'SKIP', 'x'])];
    for (const state of states) {
      const stored = JSON.parse(JSON.stringify(state.snapshot)) as unknown;
      expect(interviewer.getPersistedSnapshot(restore(stored))).toEqual(state.snapshot);
    }
  });

  it('when a stored snapshot names a state the machine does not have, then restoring it fails loudly', () => {
    const broken = { ...converse([]).snapshot, value: 'interviewing' };
    expect(() => restore(broken)).toThrow(/cannot be restored/);
  });

  it('when held for another survey and then activated, then the invitation goes out', () => {
    const settings = conversationSettings();
    const held = step(survey, null, { type: 'invite', start: START, hold: true }, NOW, settings);
    expect(held).toMatchObject({ status: 'held', effects: [] });
    const active = next(held, { type: 'activate', solicited: true }, settings);
    expect(active.status).toBe('asking');
    expect(texts(active.effects)[0]).toContain('How is your mood today?');
    expect(active.effects[0]).toMatchObject({ type: 'send', to: PHONE, kind: 'invitation' });
  });
});
