import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { englishCatalog, message, parseCatalog, type Catalog } from '../../src/messages/index.js';
import { fieldOf, loadFixture, storedOrWhy } from '../answers/helpers.js';
import { renderPrompt } from '../../src/answers/index.js';

const spanishYaml = readFileSync(fileURLToPath(new URL('../../fixtures/catalogs/es.yaml', import.meta.url)), 'utf8');

function spanish(): Catalog {
  const load = parseCatalog(spanishYaml);
  if (!load.ok) throw new Error(load.errors.join('\n'));
  return load.catalog;
}

describe('message', () => {
  it.each([
    [{ greet: 'Hi {name}, {n} left' }, 'greet', { name: 'Ana', n: 3 }, 'Hi Ana, 3 left'],
    [{ greet: 'Hi {name}' }, 'greet', {}, 'Hi {name}'],
    [{}, 'reply.empty', undefined, 'Please reply with an answer.'],
    [{}, 'no.such.key', undefined, 'no.such.key'],
  ])('when catalog %j renders %s with %j, then it reads %j', (catalog, key, params, text) => {
    expect(message(catalog, key, params)).toBe(text);
  });

  it('when the English catalog is read, then every participant text has a non-empty template', () => {
    expect(Object.values(englishCatalog).every((t) => t.trim() !== '')).toBe(true);
    expect(Object.keys(englishCatalog)).toContain('reply.required');
  });
});

describe('parseCatalog', () => {
  it('when the Spanish file is loaded, then it translates every English key', () => {
    const load = parseCatalog(spanishYaml);
    expect(load).toMatchObject({ ok: true, missing: [] });
  });

  it('when the Spanish catalog is used, then prompts and replies speak Spanish without a code change', () => {
    const survey = loadFixture('redcapr-validation-types-1.csv');
    const yesNo = fieldOf(survey, 'f_yes_no');
    const text = renderPrompt({ survey, field: yesNo, tags: yesNo.tags, pipe: (t) => t, catalog: spanish(), lead: [], record: {} }).text;
    expect(text).toBe('Yes - No (1) Sí, (0) No. (Responda SKIP para omitir)');
    expect(storedOrWhy(yesNo, 'sí', { catalog: spanish() })).toBe('1');
    expect(storedOrWhy(fieldOf(survey, 'v_date_dmy'), '5 marzo 2026', { catalog: spanish() })).toBe('2026-03-05');
    expect(storedOrWhy(fieldOf(survey, 'v_date_dmy'), 'hoy', { catalog: spanish() })).toBe('2026-03-05');
  });

  it.each([
    ['reply:\n  empty: Responda.\n', { ok: true }],
    ['"reply.empty": Responda.\n', { ok: true }],
    ['', { ok: true }],
    ['reply:\n  emptty: typo\n', { ok: false, errors: ['reply.emptty: unknown key (not in the English catalog)'] }],
    ['reply.choice.unknown: "Use {choices}"\n', { ok: false, errors: ['reply.choice.unknown: placeholder {choices} is not available (allowed: codes)'] }],
    ['reply.empty: 42\n', { ok: false, errors: ['reply.empty: must be a non-empty text'] }],
    ['- a\n- b\n', { ok: false, errors: ['a catalog must be a mapping of keys to texts'] }],
  ])('when the file is %j, then the load is %j', (yamlText, expected) => {
    expect(parseCatalog(yamlText)).toMatchObject(expected);
  });

  it('when the YAML is malformed, then the error says so', () => {
    const load = parseCatalog('reply: [unclosed');
    expect(load.ok ? [] : load.errors[0]).toMatch(/^not valid YAML/);
  });

  it('when a partial catalog is loaded, then the untranslated keys are listed and fall back to English', () => {
    const load = parseCatalog('reply:\n  empty: Responda.\n');
    expect(load.ok && load.missing.includes('reply.required')).toBe(true);
    expect(load.ok ? message(load.catalog, 'reply.required') : '').toBe('This question is required. Please reply with an answer.');
  });
});
