/**
 * Fuzz (fast-check, bounded runs): hostile webhooks against the real express app, random dictionaries
 * and logic strings into the parsers, random replies at every field type into the engine.
 */
import { readFileSync } from 'node:fs';
import { fc, test } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { parseDictionary } from '../../src/dictionary/index.js';
import type { Survey } from '../../src/dictionary/model.js';
import { compileLogic } from '../../src/logic/index.js';
import { conversationSettings, restore, step } from '../../src/conversation/index.js';
import { reliabilityScale, writeFigures } from './harness/figures.js';
import { tableCounts } from './harness/invariants.js';
import { ACCOUNT_SID, OUR_NUMBER, STUDY_CSV, cohort } from './harness/study.js';
import { signedParams, startWorld, type World } from './harness/world.js';

const RUNS = 150 * reliabilityScale();
const cases = { webhooks: 0, dictionaries: 0, logic: 0, replies: 0 };
const participants = cohort(3);
let world: World;

beforeAll(async () => {
  world = await startWorld(participants);
  await world.invite(participants);
  await world.drain();
});

afterAll(async () => {
  await world?.close();
  writeFigures('fuzz', { fuzzCases: Object.values(cases).reduce((a, b) => a + b, 0), ...cases, lost: 0 });
});

const hostileText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('\u0000', '\u0007', '\u001b', '\r', '\n', '\t', '\u007f', '\u200b', '\ufeff', '\ud800'), maxLength: 20 }),
  fc.constantFrom('', 'x'.repeat(70_000), '😀👍🏽🇺🇸', "'; DROP TABLE outbox; --", '__proto__', 'constructor', '[]', '{}', 'STOP', 'START', 'HELP'),
);
const fieldName = fc.constantFrom('MessageSid', 'From', 'To', 'Body', 'AccountSid', 'OptOutType', 'MessageStatus', 'ErrorCode', '__proto__', 'Body[]', 'From[0]');
const form = fc.dictionary(fieldName, hostileText, { maxKeys: 8 });
const path = fc.constantFrom('/webhooks/twilio/sms', '/webhooks/twilio/status', '/webhooks/twilio/sms?x=1', '/webhooks/redcap/det', '/api/invitations');
const contentType = fc.constantFrom('application/x-www-form-urlencoded', 'application/json', 'text/plain', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded; charset=latin1', '');
const signature = fc.constantFrom('valid', 'missing', 'garbage', 'empty');

describe('hostile webhooks', () => {
  test.prop([path, form, contentType, signature, fc.option(hostileText, { nil: undefined })], { numRuns: RUNS })(
    'when any body, content type and signature reach the app, then never a 5xx and a refused request stores nothing',
    async (target, params, type, signed, raw) => {
      cases.webhooks += 1;
      const before = tableCounts(world.service.db);
      let call = world.http.post(target);
      if (type !== '') call = call.set('Content-Type', type);
      if (signed === 'valid') call = call.set('X-Twilio-Signature', signedParams(params, target));
      if (signed === 'garbage') call = call.set('X-Twilio-Signature', 'bm90IGEgc2lnbmF0dXJl');
      if (signed === 'empty') call = call.set('X-Twilio-Signature', '');
      const body = raw ?? new URLSearchParams(params).toString();
      const response = await call.send(body);

      expect(response.status).toBeLessThan(500);
      if (response.status >= 400) expect(tableCounts(world.service.db)).toEqual(before);
      if (signed !== 'valid' && target.startsWith('/webhooks/twilio')) expect(response.status).toBeGreaterThanOrEqual(400);
    },
  );

  test.prop([fc.constantFrom(...participants.map((p) => p.phone), '+15550000000', 'not-a-number', ''), hostileText, fc.string({ minLength: 1, maxLength: 40 })], { numRuns: RUNS })(
    'when a correctly signed text carries any body from any number, then it is answered 200 and stored once',
    async (from, text, sid) => {
      cases.webhooks += 1;
      const params = { MessageSid: `SMfuzz${sid}`, AccountSid: ACCOUNT_SID, From: from, To: OUR_NUMBER, Body: text.slice(0, 1_000) };
      const before = tableCounts(world.service.db);
      const response = await world.http.post('/webhooks/twilio/sms').type('form').set('X-Twilio-Signature', signedParams(params)).send(params);

      if (from === '') {
        expect(response.status).toBe(400);
        expect(tableCounts(world.service.db)).toEqual(before);
      } else {
        expect(response.status).toBe(200);
        const stored = world.service.db.prepare('SELECT COUNT(*) AS n FROM inbound_messages WHERE provider_message_id = ?').get(params.MessageSid);
        expect(stored).toEqual({ n: 1 });
      }
    },
  );
});

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/dictionaries/${name}`, import.meta.url), 'utf8');
const csvCell = fc.oneof(hostileText, fc.constantFrom('text', 'radio', 'checkbox', 'calc', 'slider', 'yesno', 'descriptive', '1, A | 2, B', '[a] = "1"', 'integer', 'date_ymd', '@HIDDEN', 'y'));

describe('random dictionaries and logic', () => {
  test.prop([fc.array(fc.array(csvCell, { maxLength: 20 }), { maxLength: 12 }), fc.boolean(), fc.nat()], { numRuns: RUNS })(
    'when any table of cells, or a real dictionary cut anywhere, is parsed, then a result with diagnostics comes back',
    (rows, cut, at) => {
      cases.dictionaries += 1;
      const study = STUDY_CSV;
      const text = cut ? study.slice(0, at % study.length) + rows.flat().join(',') : [study.split('\n')[0], ...rows.map((r) => r.map((c) => `"${c.replaceAll('"', '""')}"`).join(','))].join('\n');
      const load = parseDictionary(text);
      expect(load.survey !== null || load.diagnostics.length > 0).toBe(true);
      expect(() => parseDictionary(text, 'json')).not.toThrow();
    },
  );

  const survey = parseDictionary(fixture('redcapr-validation-types-1.csv')).survey!;
  const fields = survey.fields.map((f) => `[${f.name}]`);
  const token = fc.oneof(
    fc.constantFrom(...fields, '[nope]', '[event_1_arm_1][x]', '[x:checked]', '[x(1)]', '=', '<>', '!=', '>=', 'and', 'or', 'not', '(', ')', ',', '"1"', "'a'", '1', '-2.5', '1e3',
      'datediff(', 'if(', 'sum(', 'round(', 'isblankormissingcode(', 'contains(', '[current-instance]', '[record-name]', '""', '+', '*', '/', '^'),
    hostileText,
  );
  test.prop([fc.array(token, { maxLength: 25 }), fc.dictionary(fc.constantFrom(...survey.fields.map((f) => f.name)), hostileText)], { numRuns: RUNS * 2 })(
    'when any logic string is compiled and evaluated against any record, then nothing throws',
    (tokens, record) => {
      cases.logic += 1;
      const compiled = compileLogic(tokens.join(' '), survey);
      if (compiled.ok) {
        expect(() => compiled.evaluate({ survey, record, now: new Date('2026-03-10T14:00:00Z'), timeZone: 'UTC', recordId: '1', rows: [] })).not.toThrow();
      }
    },
  );
});

describe('random replies into the engine', () => {
  const surveys: Survey[] = ['redcapr-validation-types-1.csv', 'redcapr-survey.csv', 'demo-phq.csv', 'redcapr-checkboxes-1.csv', 'sms-demo.csv']
    .map((name) => parseDictionary(fixture(name)).survey)
    .filter((s): s is Survey => s !== null);
  const instruments = surveys.flatMap((s) => s.instruments.map((i) => ({ survey: s, instrument: i.name })));
  const reply = fc.oneof(hostileText, fc.constantFrom('1', '0', 'yes', 'no', '2026-03-10', '12:30', '3.5', '1,2', 'skip', 'back', 'STOP', 'START', 'HELP', 'y', 'n'));
  const settings = conversationSettings();

  test.prop([fc.constantFrom(...instruments), fc.array(reply, { minLength: 1, maxLength: 30 })], { numRuns: RUNS })(
    'when a participant sends any replies at any field type, then every step succeeds and its snapshot restores',
    ({ survey, instrument }, replies) => {
      cases.replies += replies.length;
      const now = new Date('2026-03-10T14:00:00Z');
      let result = step(survey, null, { type: 'invite', start: { phone: '+16505551234', instrument, recordId: '1', record: { record_id: '1' } } }, now, settings);
      for (const text of replies) {
        if (!result.open) break;
        const stored: unknown = JSON.parse(JSON.stringify(result.snapshot));
        result = step(survey, stored, { type: 'inbound', text }, now, settings);
        expect(() => restore(JSON.parse(JSON.stringify(result.snapshot)))).not.toThrow();
      }
    },
  );
});
