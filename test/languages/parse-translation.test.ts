import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { localizeSurvey, parseTranslation, problemText, type TranslationSource } from '../../src/languages/index.js';
import { fieldOf, loadFixture } from '../answers/helpers.js';

const survey = loadFixture('demo-phq.csv');
const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../../fixtures/translations/${name}`, import.meta.url)), 'utf8');

function problems(source: TranslationSource): string[] {
  const load = parseTranslation(source);
  return load.ok ? [] : load.problems.map(problemText);
}

const json = (body: Record<string, unknown>) => JSON.stringify({ key: 'es', ...body });
const yesNoChoices = [0, 1, 2, 3].map((code) => ({ id: String(code), translation: `c${code}` }));

describe('parseTranslation: the MLM exports in fixtures/', () => {
  it('when the Spanish JSON export is read against its dictionary, then it translates labels, choices, survey texts and system texts', () => {
    const load = parseTranslation({ text: fixture('demo-phq.es.json'), language: 'es', survey });
    expect(load.ok).toBe(true);
    if (!load.ok) return;
    const { translation } = load;
    expect(translation).toMatchObject({ language: 'es', display: 'Español', rtl: false });
    expect(translation.fields.phq1?.choices).toEqual({ 0: 'Para nada', 1: 'Varios días', 2: 'Más de la mitad de los días', 3: 'Casi todos los días' });
    expect(translation.surveys.phq).toEqual({
      title: 'Cuestionario PHQ', instructions: 'Son unas pocas preguntas breves.', endText: '¡Gracias! Su equipo de atención verá sus respuestas.',
    });
    expect(translation.messages['hint.skip']).toBe('(Responda OMITIR para omitir)');
    // A blank translation is an untranslated item: the dictionary's own text stays.
    expect(translation.fields.comments?.note).toBeUndefined();
  });

  it('when the Arabic CSV export is read against its dictionary, then it gives the same kind of translation', () => {
    const load = parseTranslation({ text: fixture('demo-phq.ar.csv'), language: 'ar', survey });
    expect(load.ok && load.translation.fields.phq_more?.choices['99']).toBe('لا شيء من هذه');
    expect(load.ok && load.translation.surveys.phq?.title).toBe('استبيان PHQ');
  });
});

describe('parseTranslation: problems are precise and change nothing', () => {
  it.each([
    ['not JSON', { text: '{ "key": ', language: 'es' }, /^file: not valid JSON/],
    ['no language key', { text: '{}', language: 'es' }, /^key: must be the MLM language id/],
    ['another language', { text: json({ key: 'fr' }), language: 'es' }, /^key: the file translates language "fr", but it is configured for "es"/],
    ['an unknown field', { text: json({ fieldTranslations: [{ id: 'phq9', label: { translation: 'x' } }] }), language: 'es', survey },
      /^fieldTranslations\[0\] \(phq9\)\.label: unknown field "phq9"/],
    ['an unknown choice', { text: json({ fieldTranslations: [{ id: 'phq1', enum: [...yesNoChoices, { id: '7', translation: 'x' }] }] }), language: 'es', survey },
      /^fieldTranslations\[0\] \(phq1\)\.enum\[4\] \(7\): field "phq1" has no choice "7" \(its choices: 0, 1, 2, 3\)/],
    ['a missing choice', { text: json({ fieldTranslations: [{ id: 'phq1', label: 'x', enum: yesNoChoices.slice(0, 3) }] }), language: 'es', survey },
      /field "phq1": no translation for choice 3 \(Nearly every day\)/],
    ['choices on a text field', { text: json({ fieldTranslations: [{ id: 'sleep_hours', enum: [{ id: '1', translation: 'x' }] }] }), language: 'es', survey },
      /field "sleep_hours" \(text\) has no choices to translate/],
    ['an unknown instrument', { text: json({ surveyTranslations: [{ id: 'gad7', 'survey-title': 'x' }] }), language: 'es', survey },
      /^surveyTranslations\[0\] \(gad7\)\.survey-title: unknown instrument "gad7"/],
    ['an unknown system text', { text: json({ uiTranslations: [{ id: 'conversation.bye', translation: 'x' }] }), language: 'es' },
      /^uiTranslations\[0\] \(conversation\.bye\): system text conversation\.bye: unknown key/],
    ['a placeholder English lacks', { text: json({ uiTranslations: [{ id: 'hint.skip', translation: '{x}' }] }), language: 'es' },
      /placeholder \{x\} is not available/],
    ['an item given twice', { text: json({ fieldTranslations: [{ id: 'phq1', label: 'a' }, { id: 'phq1', label: 'b' }] }), language: 'es' },
      /^fieldTranslations\[1\] \(phq1\)\.label: field-label phq1 is translated twice \(first at fieldTranslations\[0\] \(phq1\)\.label\)/],
    ['a text that is a number', { text: json({ fieldTranslations: [{ id: 'phq1', label: 3 }] }), language: 'es' }, /must be a text or \{ "translation": text \}/],
    ['a CSV without the translation column', { text: 'type,name\nfield-label,phq1\n', language: 'es', format: 'csv' as const },
      /^line 1: the header lacks translation/],
    ['a CSV row of an unknown type', { text: 'type,name,index,translation\nfield-hint,phq1,,x\n', language: 'es', format: 'csv' as const },
      /^line 2: unknown type "field-hint"/],
    ['a CSV choice without its code', { text: 'type,name,index,translation\nfield-enum,phq1,,x\n', language: 'es', format: 'csv' as const },
      /^line 2: a field-enum row needs the choice code in `index`/],
    ['a CSV naming an unknown field', { text: 'type,name,index,translation\nfield-label,nope,,x\n', language: 'es', format: 'csv' as const, survey },
      /^line 2: unknown field "nope"/],
  ])('when the file has %s, then the problem says where and what', (_case, source, expected) => {
    const found = problems(source as TranslationSource);
    expect(found.length).toBeGreaterThan(0);
    expect(found.some((problem) => expected.test(problem)), found.join('\n')).toBe(true);
  });
});

describe('localizeSurvey', () => {
  it('when a survey is localized, then texts change and codes, logic and the original survey do not', () => {
    const load = parseTranslation({ text: fixture('demo-phq.es.json'), language: 'es', survey });
    if (!load.ok) throw new Error('fixture did not load');
    const spanish = localizeSurvey(survey, load.translation);
    expect(fieldOf(spanish, 'phq1').choices.map((c) => [c.code, c.label])[1]).toEqual(['1', 'Varios días']);
    expect(fieldOf(spanish, 'phq_more').branching).toBe(fieldOf(survey, 'phq_more').branching);
    expect(fieldOf(survey, 'phq1').label).toBe('Little interest or pleasure in doing things?');
    expect(localizeSurvey(survey, load.translation)).toBe(spanish);
  });
});

const text = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== '');

describe('parseTranslation: properties', () => {
  const choiceFields = survey.fields.filter((field) => field.type === 'radio' || field.type === 'checkbox');

  test.prop([fc.array(fc.tuple(fc.constantFrom(...choiceFields), text, fc.array(text, { minLength: 5, maxLength: 5 })), { maxLength: 4 })])(
    'whatever is translated, the JSON and CSV exports of it read the same and every label lands on its field',
    (items) => {
      const unique = [...new Map(items.map((item) => [item[0].name, item])).values()];
      const fieldTranslations = unique.map(([field, label, labels]) => ({
        id: field.name, label: { translation: label }, enum: field.choices.map((choice, index) => ({ id: choice.code, translation: labels[index] })),
      }));
      const rows = unique.flatMap(([field, label, labels]) => [
        ['field-label', field.name, '', label], ...field.choices.map((choice, index) => ['field-enum', field.name, choice.code, labels[index] ?? '']),
      ]);
      const csv = ['type,name,index,translation', ...rows.map((row) => row.map((cell) => `"${cell.replaceAll('"', '""')}"`).join(','))].join('\n');
      const fromJson = parseTranslation({ text: json({ fieldTranslations }), language: 'es', survey });
      const fromCsv = parseTranslation({ text: csv, language: 'es', format: 'csv', survey });
      expect(fromJson.ok && fromCsv.ok).toBe(true);
      if (!fromJson.ok || !fromCsv.ok) return;
      expect(fromCsv.translation.fields).toEqual(fromJson.translation.fields);
      const localized = localizeSurvey(survey, fromJson.translation);
      for (const [field, label, labels] of unique) {
        const translated = fieldOf(localized, field.name);
        expect(translated.label).toBe(label);
        expect(translated.choices.map((choice) => choice.label)).toEqual(field.choices.map((_c, index) => labels[index]));
      }
    },
  );

  test.prop([fc.string({ maxLength: 200 })])('whatever the bytes, parsing never throws and a failure always names a place', (bytes) => {
    for (const format of ['json', 'csv'] as const) {
      const load = parseTranslation({ text: bytes, language: 'es', format, survey });
      if (!load.ok) expect(load.problems.every((problem) => problem.at !== '' && problem.message !== '')).toBe(true);
    }
  });
});
