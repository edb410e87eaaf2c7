import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseProjectFile } from '../../src/config/projects.js';
import { problemsOf } from './problems.js';

const projectFile = (languages: string) => `projects:
  phq:
    redcap: { url: https://redcap.example.org/api/, token: t }
    sender: { from: "+15550001000" }
    phoneField: mobile
    timeZone: UTC
    languageField: language
    surveys:
      phq: { title: PHQ, stopActions: { phq1: ["3"] } }
    languages:
${languages}`;

function folderWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'redcap-sms-languages-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const spanish = JSON.stringify({ key: 'es', uiTranslations: [{ id: 'conversation.completion', translation: '¡Gracias!' }] });

describe('the project file: languages and survey settings', () => {
  test('when a project names its languages and MLM files, then each is read relative to the project file', () => {
    const dir = folderWith({ 'es.json': spanish, 'es.yaml': 'hint:\n  skip: "(Responda OMITIR)"\n' });
    const [project] = parseProjectFile(projectFile('      - id: en\n      - { id: es, mlm: es.json, catalog: es.yaml, switch: [ESPAÑOL], keywords: { stop: [ALTO] } }'), join(dir, 'projects.yaml'), {}, 1);
    expect(project?.languages.field).toBe('language');
    expect(project?.languages.options.map((option) => option.id)).toEqual(['en', 'es']);
    expect(project?.languages.options[1]?.translation?.messages['conversation.completion']).toBe('¡Gracias!');
    expect(project?.languages.options[1]?.catalog['hint.skip']).toBe('(Responda OMITIR)');
    expect(project?.surveys.phq).toEqual({ title: 'PHQ', autoContinue: false, stopActions: { phq1: ['3'] } });
  });

  test.each([
    ['a file that is missing', {}, '      - { id: es, mlm: es.json }', /^.*projects\.yaml:\d+:\d+: projects\.phq\.languages\.0\.mlm cannot read es\.json$/],
    ['a file for another language', { 'es.json': JSON.stringify({ key: 'fr' }) }, '      - { id: es, mlm: es.json }', /languages\.0\.mlm es\.json: key: the file translates language "fr", but it is configured for "es"/],
    ['an unknown system text', { 'es.json': JSON.stringify({ key: 'es', uiTranslations: [{ id: 'nope', translation: 'x' }] }) }, '      - { id: es, mlm: es.json }', /es\.json: uiTranslations\[0\] \(nope\): system text nope: unknown key/],
    ['a catalog with an unknown key', { 'es.yaml': 'nope: x\n' }, '      - { id: es, catalog: es.yaml }', /languages\.0\.catalog es\.yaml: nope: unknown key/],
    ['a language listed twice', {}, '      - { id: es }\n      - { id: ES }', /languages\.1\.id language ES is listed twice/],
    ['a language id with spaces', {}, '      - { id: "es mx" }', /languages\.0\.id must be an MLM language id/],
  ])('when the file has %s, then the problem names the key and the file', (_case, files, languages, expected) => {
    const dir = folderWith(files as Record<string, string>);
    const found = problemsOf(() => parseProjectFile(projectFile(languages), join(dir, 'projects.yaml'), {}, 1));
    expect(found.some((problem) => expected.test(problem)), found.join('\n')).toBe(true);
  });
});
