import { z } from 'zod';

/*
 * The project file's `languages`, `languageField` and `surveys` keys (REDCap Multi-Language Management and
 * Survey Settings). Also the replay fixture's `languages`, so a golden transcript is configured as a project is.
 */

const words = z.array(z.string().min(1, { error: 'must not be empty' }));

const keywordList = (what: string, example: string[]) => words.optional().meta({ description: `Words that ${what}, in this language.`, example });

const LanguageKeywordsSchema = z.strictObject({
  stop: keywordList('opt out (as STOP)', ['ALTO', 'PARAR']),
  start: keywordList('opt back in (as START)', ['INICIAR']),
  startWhileOptedOut: keywordList('opt back in only while opted out (as YES)', ['SI']),
  help: keywordList('ask for help (as HELP)', ['AYUDA']),
  skip: keywordList('skip an optional question (as SKIP)', ['OMITIR']),
  back: keywordList('go back a question (as BACK)', ['ATRAS']),
  repeat: keywordList('repeat the question (as REPEAT)', ['REPETIR']),
  confirm: keywordList('keep a value outside the expected range (as YES)', ['SI', 'SÍ']),
}).meta({ description: 'Keywords in this language, understood in every conversation beside the English ones (STOP always works).', example: { stop: ['ALTO', 'PARAR'], help: ['AYUDA'], skip: ['OMITIR'], confirm: ['SI', 'SÍ'] } });

export const LanguageSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]+$/, { error: 'must be an MLM language id (letters, digits, - and _) like es' })
    .meta({ description: "The MLM language id, as in REDCap's Multi-Language Management (and the record's language field).", example: 'es' }),
  mlm: z.string().min(1).optional()
    .meta({ description: "REDCap MLM's export of this language (JSON, or CSV with type,name,index,translation columns), relative to this file. Leave it out for the dictionary's own language.", example: 'mlm/es.json' }),
  catalog: z.string().min(1).optional()
    .meta({ description: 'A message-catalog YAML file with the system texts in this language (keys as `messages`), relative to this file; the MLM export\'s own system texts win.', example: 'catalogs/es.yaml' }),
  switch: words.default([]).meta({ description: 'Whole-message words that switch a participant to this language (accents optional).', example: ['ESPAÑOL'] }),
  keywords: LanguageKeywordsSchema.default({}),
});
export type LanguageInput = z.infer<typeof LanguageSchema>;

export const LanguagesSchema = z.array(LanguageSchema)
  .superRefine((languages, ctx) => {
    const seen = new Set<string>();
    languages.forEach((language, index) => {
      if (seen.has(language.id.toLowerCase())) ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `language ${language.id} is listed twice` });
      seen.add(language.id.toLowerCase());
    });
  })
  .meta({ description: "The project's languages, the dictionary's own first (REDCap Multi-Language Management). A participant reads the one the invitation chose, else the one in `languageField`, else the first; a switch word changes it.", example: [{ id: 'en', switch: ['ENGLISH'] }, { id: 'es', mlm: 'fixtures/translations/demo-phq.es.json', catalog: 'fixtures/catalogs/es.yaml', switch: ['ESPAÑOL'], keywords: { stop: ['ALTO'], help: ['AYUDA'] } }] });

export const SurveySettingsFileSchema = z.strictObject({
  title: z.string().min(1).optional().meta({ description: 'The survey title, sent above the first question and piped by `[survey-title]`.', example: 'Daily check-in' }),
  instructions: z.string().min(1).optional().meta({ description: 'The survey instructions, sent before the first question.', example: 'Three short questions about today.' }),
  endText: z.string().min(1).optional().meta({ description: "The survey completion text, sent when the survey ends (instead of the catalog's `conversation.completion`).", example: 'Thank you, see you tomorrow!' }),
  autoContinue: z.boolean().default(false).meta({ description: "Auto-continue: when this instrument completes, start the next one in the dictionary's order (if not complete yet) at once; it comes before the survey queue, as in REDCap.", example: true }),
  stopActions: z.record(z.string(), z.array(z.string().min(1))).default({})
    .meta({ description: 'Stop actions: field → the choice codes that end the survey at once (the answer is saved and the survey completes).', example: { consent: ['0'] } }),
});
export type SurveySettingsInput = z.infer<typeof SurveySettingsFileSchema>;
