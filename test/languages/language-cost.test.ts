import { describe, expect, it } from 'vitest';
import { languageCosts, type Translation } from '../../src/languages/index.js';
import { englishCatalog } from '../../src/messages/catalog.js';
import { loadFixture } from '../answers/helpers.js';

const survey = loadFixture('demo-phq.csv');
const translation = (fields: Translation['fields'], messages: Record<string, string> = {}): Translation =>
  ({ language: 'xx', rtl: false, fields, surveys: {}, messages });

describe('languageCosts', () => {
  it.each([
    ['a label with only GSM-7 characters (ñ, é, ü, ¿ are GSM)', { label: '¿Señor, qué pasa? ü' }, []],
    ['a label with á', { label: 'Más' }, [{ text: 'phq1 label', character: 'á' }]],
    ['a choice in Cyrillic', { choices: { 0: 'Нет' } }, [{ text: 'phq1 choice 0', character: 'Н' }]],
    ['an emoji in a note', { note: 'ok 🙂' }, [{ text: 'phq1 note', character: '🙂' }]],
  ])('when phq1 has %s, then the UCS-2 texts are %j', (_case, field, expected) => {
    const [, costed] = languageCosts(survey, [
      { id: 'default', translation: null, catalog: englishCatalog },
      { id: 'xx', translation: translation({ phq1: { choices: {}, ...field } }), catalog: {} },
    ]);
    expect(costed?.instruments.find((i) => i.instrument === 'phq')?.ucs2).toEqual(expected);
  });

  it('when a question goes to UCS-2, then its segments are counted at 70/67 characters', () => {
    const long = 'á'.repeat(100);
    const [english, accented] = languageCosts(survey, [
      { id: 'default', translation: null, catalog: englishCatalog },
      { id: 'xx', translation: translation({ sleep_hours: { choices: {}, label: long } }), catalog: {} },
    ]);
    const phq = (cost: typeof english) => cost?.instruments.find((i) => i.instrument === 'phq');
    // 100 accented characters and the hint fit one GSM-7 segment's worth of length, but need two UCS-2 ones.
    expect(phq(accented)?.longestSegments).toBeGreaterThanOrEqual(2);
    expect(phq(accented)?.totalSegments).toBeGreaterThan(phq(english)?.totalSegments ?? 0);
  });

  it('when a language\'s system texts leave GSM-7, then they are named by catalog key', () => {
    const [costed] = languageCosts(survey, [{ id: 'xx', translation: translation({}), catalog: { 'hint.skip': '(Responda OMITIR)', 'conversation.help': 'Ayúdame' } }]);
    expect(costed?.systemTexts).toEqual([{ text: 'conversation.help', character: 'ú' }]);
  });
});
