import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { conversationSettings, step, type ConversationEvent, type ConversationSettingsInput, type Effect, type StepResult } from '../../src/conversation/index.js';
import { parseTranslation, type Languages } from '../../src/languages/index.js';
import { parseCatalog } from '../../src/messages/index.js';
import { loadFixture } from '../answers/helpers.js';

const survey = loadFixture('demo-phq.csv');
const NOW = new Date('2026-03-02T15:00:00Z');
const fixture = (path: string) => readFileSync(fileURLToPath(new URL(`../../fixtures/${path}`, import.meta.url)), 'utf8');

function spanishTranslation() {
  const load = parseTranslation({ text: fixture('translations/demo-phq.es.json'), language: 'es', survey });
  if (!load.ok) throw new Error('the Spanish export did not load');
  return load.translation;
}
function spanishCatalog() {
  const load = parseCatalog(fixture('catalogs/es.yaml'));
  if (!load.ok) throw new Error('the Spanish catalog did not load');
  return load.catalog;
}

const languages: Languages = {
  field: 'language',
  options: [
    { id: 'en', switchWords: ['ENGLISH'], keywords: {}, translation: null, catalog: {} },
    { id: 'es', switchWords: ['ESPAÑOL'], keywords: { stop: ['ALTO'], skip: ['OMITIR'], help: ['AYUDA'] }, translation: spanishTranslation(), catalog: spanishCatalog() },
  ],
};

interface Start { record?: Record<string, string>; language?: string; settings?: ConversationSettingsInput }

function converse(texts: readonly string[], start: Start = {}): StepResult[] {
  const settings = conversationSettings(start.settings ?? {});
  const invite: ConversationEvent = {
    type: 'invite',
    start: { phone: '+15555550100', instrument: 'phq', recordId: '1', record: { record_id: '1', ...start.record }, ...(start.language === undefined ? {} : { language: start.language }) },
  };
  const results = [step(survey, null, invite, NOW, settings, {}, languages)];
  for (const text of texts) {
    const stored = JSON.parse(JSON.stringify(results.at(-1)?.snapshot));
    results.push(step(survey, stored, { type: 'inbound', text }, NOW, settings, {}, languages));
  }
  return results;
}

const sent = (result: StepResult | undefined): string => (result?.effects ?? []).flatMap((e: Effect) => (e.type === 'send' ? e.parts : [])).join('\n');
const wrote = (results: StepResult[]): Record<string, string> =>
  Object.assign({}, ...results.flatMap((r) => r.effects.flatMap((e) => (e.type === 'write' ? [e.values] : []))));

describe('the language a conversation starts in', () => {
  it.each([
    ['nothing chooses', {}, 'Little interest'],
    ["the record's language field says es", { record: { language: 'es' } }, '¿Poco interés'],
    ["the record's language field says ES (any case)", { record: { language: 'ES' } }, '¿Poco interés'],
    ["the record's language field names a language the project lacks", { record: { language: 'fr' } }, 'Little interest'],
    ['the invitation chooses es', { language: 'es' }, '¿Poco interés'],
    ['the invitation chooses en over the field', { record: { language: 'es' }, language: 'en' }, 'Little interest'],
  ])('when %s, then the first question reads "%s…"', (_case, start, expected) => {
    expect(sent(converse([], start as Start)[0])).toContain(expected);
  });

  it('when the conversation starts in Spanish, then the language persists in the snapshot', () => {
    expect(converse([], { language: 'es' })[0]?.snapshot.context.language).toBe('es');
  });
});

describe('replies and keywords in the participant\'s language', () => {
  it.each([
    ['a Spanish label', 'varios días', { phq1: '1' }],
    ['a Spanish label without accents or case', 'VARIOS DIAS', { phq1: '1' }],
    ['the code', '2', { phq1: '2' }],
  ])('when a Spanish participant replies with %s, then the choice is saved by its code', (_case, reply, values) => {
    expect(wrote(converse([reply], { language: 'es' }))).toMatchObject(values);
  });

  it('when a Spanish participant replies with the English label, then it is not one of their choices', () => {
    expect(sent(converse(['Several days'], { language: 'es' })[1])).toContain('Esa no es una de las opciones');
  });

  it.each([
    ['ALTO', 'es'], ['ALTO', 'en'], ['STOP', 'es'], ['stop', 'en'],
  ])('when %s is texted in a conversation in %s, then the participant is opted out', (text, language) => {
    const [, result] = converse([text], { language });
    expect(result?.status).toBe('opted_out');
    expect(result?.effects.some((e) => e.type === 'optOut')).toBe(true);
  });

  it.each([
    ['ESPAÑOL', 'en', '¿Poco interés', 'es'],
    ['espanol', 'en', '¿Poco interés', 'es'],
    ['Español!', 'en', '¿Poco interés', 'es'],
    ['english', 'es', 'Little interest', 'en'],
  ])('when %s is texted in a conversation in %s, then the question is asked again in the new language, which the language field records', (text, language, expected, now) => {
    const results = converse([text], { language });
    expect(sent(results[1])).toContain(expected);
    expect(results[1]?.snapshot.context.language).toBe(now);
    expect(wrote(results.slice(1))).toEqual({ language: now });
  });

  it('when a participant switched to Spanish, then later texts stay in Spanish after the snapshot is stored and restored', () => {
    const results = converse(['ESPAÑOL', '1'], {});
    expect(sent(results[2])).toContain('¿Se ha sentido decaído(a)');
  });
});

describe('survey settings', () => {
  const surveys = { phq: { title: 'PHQ check-in', instructions: 'Three short questions.', endText: 'All done, thank you!', stopActions: { phq1: ['3'] } } };

  it('when an instrument has a title and instructions, then they come before the first question', () => {
    expect(sent(converse([], { settings: { surveys } })[0])).toMatch(/Reply STOP to opt out\.\nPHQ check-in\nThree short questions\.\nOver the last 2 weeks/);
  });

  it('when the participant reads Spanish, then the translated survey texts replace the project\'s', () => {
    expect(sent(converse([], { settings: { surveys }, language: 'es' })[0])).toMatch(/Cuestionario PHQ\nSon unas pocas preguntas breves\./);
  });

  it('when the answer is a stop action, then the survey ends at once with the end text and is complete', () => {
    const results = converse(['3'], { settings: { surveys } });
    expect(results[1]?.status).toBe('completed');
    expect(sent(results[1])).toBe('All done, thank you!');
    expect(wrote(results)).toEqual({ phq1: '3', phq_complete: '2' });
  });

  it('when the answer is not a stop action, then the survey carries on', () => {
    expect(converse(['2'], { settings: { surveys } })[1]?.status).toBe('asking');
  });
});

describe('languages: properties', () => {
  const words = ['ESPAÑOL', 'espanol', 'ENGLISH', 'AYUDA', 'HELP', 'OMITIR', 'SKIP', 'REPEAT', 'BACK', '1', '2', 'varios días', 'Several days', '7', 'hola'];
  const keywordLike = new Set(['ESPAÑOL', 'espanol', 'ENGLISH', 'AYUDA', 'HELP', 'OMITIR', 'SKIP', 'REPEAT', 'BACK']);

  test.prop([fc.array(fc.constantFrom(...words), { maxLength: 12 }), fc.constantFrom('en', 'es'), fc.constantFrom('STOP', 'ALTO', 'stop')])(
    'whatever the language and the switches, a keyword or switch word is never an answer, and STOP or ALTO always opts out',
    (texts, language, stop) => {
      const results = converse([...texts, stop], { language });
      const answers = results.flatMap((r) => r.effects.flatMap((e) => (e.type === 'write' ? Object.entries(e.values) : [])))
        .filter(([field]) => field !== 'language').map(([, value]) => value);
      expect(answers.filter((value) => keywordLike.has(value))).toEqual([]);
      const last = results.at(-1);
      if (results.at(-2)?.status !== 'completed') expect(last?.status).toBe('opted_out');
    },
  );
});
