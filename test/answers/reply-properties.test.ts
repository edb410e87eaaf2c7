import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { message, englishCatalog } from '../../src/messages/catalog.js';
import { fieldOf, loadFixture, replyTo, tagsOf } from './helpers.js';

const types = loadFixture('redcapr-validation-types-1.csv');
const ccc19 = loadFixture('ccc19-data-dictionary.csv');
const everyField = [...types.fields, fieldOf(ccc19, 'concomitant_meds'), fieldOf(ccc19, 'location')];
const unreadable = message(englishCatalog, 'reply.unreadable');

const hostileReply = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('\u0000', '\u0007', '\u001b', '\r', '\n', '\t', '\u007f', '\u200b', '\ufeff'), maxLength: 20 }),
  fc.constantFrom(
    '', ' ', 'x'.repeat(2000), '1,'.repeat(1000), '😀👍🏽🇺🇸', '\ud800', "'; DROP TABLE answers; --",
    '[age] > 18 and [sex] = "1"', 'if([a]=1, 2, 3)', '@HIDDEN @DEFAULT="1"', '<script>alert(1)</script>',
    '99999999999999999999999999', '1e999', '-0', '0x1F', 'NaN', 'Infinity', '2026-02-30', '31/12/9999 23:59',
    '__proto__', 'constructor', 'toString', 'and and and', ',,,', '& + ;',
  ),
);

describe('no reply ever breaks the parser', () => {
  test.prop([fc.constantFrom(...everyField), hostileReply, fc.boolean()], { numRuns: 400 })(
    'when any field gets any text, then a well-formed outcome comes back without reaching the safety net',
    (field, text, force) => {
      const outcome = replyTo(field, text, { survey: field.form === 'form_1' ? types : ccc19, tags: { ...field.tags, forceMinMax: force } });
      expect(['accepted', 'confirm', 'rejected']).toContain(outcome.kind);
      if (outcome.kind === 'rejected') expect(outcome.message).not.toBe(unreadable);
      if (outcome.kind !== 'rejected') expect(Object.values(outcome.values).every((v) => typeof v === 'string')).toBe(true);
    },
  );
});

const textFields = types.fields.filter((f) => ['text', 'notes', 'radio', 'dropdown', 'yesno', 'truefalse', 'slider'].includes(f.type));
const plausibleReply = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.stringMatching(/^[+-]?\d{1,6}([.,]\d{1,5})?$/),
  fc.stringMatching(/^\d{1,4}[-/. ]\d{1,2}[-/. ]\d{1,4}( \d{1,2}:\d{2}(:\d{2})?)?$/),
  fc.stringMatching(/^\d{1,2}:\d{1,2}(:\d{2})?( ?[ap]m)?$/),
  fc.stringMatching(/^\(?\d{3}\)? ?\d{3}[- ]\d{4}$/),
);

describe('normalising is idempotent', () => {
  test.prop([fc.constantFrom(...textFields), plausibleReply], { numRuns: 600 })(
    'when a reply is accepted, then replying with the stored value stores the same value',
    (field, text) => {
      const first = replyTo(field, text);
      fc.pre(first.kind !== 'rejected');
      const stored = first.kind === 'accepted' || first.kind === 'confirm' ? (first.values[field.name] ?? '') : '';
      const again = replyTo(field, stored);
      expect(again.kind === 'rejected' ? again : again.values[field.name]).toBe(stored);
    },
  );
});

const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const someDay = fc.date({ min: new Date(Date.UTC(1000, 0, 1)), max: new Date(Date.UTC(9999, 11, 31)), noInvalidDate: true });

describe('every accepted date round-trips', () => {
  test.prop([someDay, fc.constantFrom('ymd', 'mdy', 'dmy'), fc.constantFrom('-', '/', '.', ' '), fc.boolean()], { numRuns: 300 })(
    'when a real date is typed in the field order with any separator and padding, then it is stored as YYYY-MM-DD',
    (day, order, sep, padded) => {
      const [y, m, d] = [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()];
      const part = (n: number): string => (padded ? pad(n, 2) : String(n));
      const typed = { ymd: [pad(y, 4), part(m), part(d)], mdy: [part(m), part(d), pad(y, 4)], dmy: [part(d), part(m), pad(y, 4)] }[order].join(sep);
      const iso = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
      expect(replyTo(fieldOf(types, `v_date_${order}`), typed)).toEqual({ kind: 'accepted', values: { [`v_date_${order}`]: iso } });
    },
  );

  test.prop([someDay, fc.constantFrom('ymd', 'mdy', 'dmy'), fc.boolean()], { numRuns: 200 })(
    'when a stored datetime is sent back, then it is stored unchanged',
    (day, order, seconds) => {
      const stamp = day.toISOString().replace('T', ' ').slice(0, seconds ? 19 : 16);
      const name = `v_datetime_${seconds ? 'seconds_' : ''}${order}`;
      expect(replyTo(fieldOf(types, name), stamp)).toEqual({ kind: 'accepted', values: { [name]: stamp } });
    },
  );

  test.prop([fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), fc.integer({ min: 1000, max: 9999 })], { numRuns: 300 })(
    'when day and month are any numbers, then the date is accepted exactly when the calendar has it',
    (month, dayOfMonth, year) => {
      const real = new Date(Date.UTC(year, month - 1, dayOfMonth)).getUTCDate() === dayOfMonth;
      const outcome = replyTo(fieldOf(types, 'v_date_mdy'), `${month}/${dayOfMonth}/${year}`);
      expect(outcome.kind).toBe(real ? 'accepted' : 'rejected');
    },
  );
});

describe('checkbox replies are order- and repeat-insensitive', () => {
  const box = fieldOf(types, 'f_checkbox');
  test.prop([fc.array(fc.constantFrom('0', '1', '2'), { minLength: 1, maxLength: 6 }), fc.constantFrom(',', ' ', ', ', ' and ', ';')])(
    'when codes are listed in any order with repeats, then exactly those boxes are ticked',
    (codes: string[], separator) => {
      const outcome = replyTo(box, codes.join(separator), { tags: tagsOf() });
      const expected = Object.fromEntries(['0', '1', '2'].map((c) => [`f_checkbox___${c}`, codes.includes(c) ? '1' : '0']));
      expect(outcome).toEqual({ kind: 'accepted', values: expected });
    },
  );
});
