/**
 * The participant's language inside a step: which one a conversation speaks, the words that switch it,
 * and the step's environment as that language sees it (translated survey, catalog and survey texts).
 */
import { KEYWORD_LISTS, languageCatalog, languageOption, localizeSurvey, memoPair, type Languages } from '../languages/index.js';
import type { Catalog } from '../messages/catalog.js';
import type { StepEnv } from './interview.js';
import { normaliseKeyword } from './keywords.js';
import type { ConversationSettings, SurveySettings } from './settings.js';

/**
 * Settings whose keywords are the project's plus every configured language's, so ALTO and AYUDA work in any
 * conversation and STOP in every one; the phone-level routing uses them too. Memoised: keyword lists are
 * compared by identity for their normalised forms, and a step should not rebuild the settings.
 */
export function settingsInEveryLanguage(settings: ConversationSettings, languages: Languages): ConversationSettings {
  return languages.options.length === 0 ? settings : withEveryLanguage(settings, languages);
}

const withEveryLanguage = memoPair((settings: ConversationSettings, languages: Languages): ConversationSettings => {
  const lists = KEYWORD_LISTS.map((list) => [list, [...new Set([...settings.keywords[list], ...languages.options.flatMap((option) => option.keywords[list] ?? [])])]]);
  return { ...settings, keywords: Object.freeze(Object.fromEntries(lists)) as ConversationSettings['keywords'] };
});

/** The language a whole message switches to (`ESPAÑOL`), or null when it is not a switch word. */
export function switchTarget(text: string, languages: Languages): string | null {
  if (languages.options.length === 0) return null;
  const normalised = withoutAccents(text);
  if (normalised === '') return null;
  const option = languages.options.find((candidate) => candidate.switchWords.some((word) => withoutAccents(word) === normalised));
  return option?.id ?? null;
}

/** Switch words are compared like keywords and without accents, since phones drop them: ESPANOL is ESPAÑOL. */
const withoutAccents = (text: string): string => normaliseKeyword(text.normalize('NFD').replace(/\p{M}/gu, ''));

/**
 * The step's environment in `language`. The dictionary's own language keeps the project's texts; another
 * language gets the translated survey, its catalog, and its survey texts, and drops the project-wide
 * texts written in the default language (invitation, completion, help) so no English slips in.
 */
export function envInLanguage(env: StepEnv, language: string | undefined, languages: Languages): StepEnv {
  const option = translatedOption(languages, language);
  if (option === undefined) return env;
  const translation = option.translation;
  const { invitationText: _i, completionText: _c, helpText: _h, ...settings } = env.settings;
  const surveys = translatedSurveys(settings.surveys, translation?.surveys ?? {});
  return {
    ...env,
    survey: translation === null ? env.survey : localizeSurvey(env.survey, translation),
    catalog: languageCatalog(env.catalog, languages, option.id),
    settings: { ...settings, surveys },
  };
}

/**
 * The texts a phone reads outside any step (START, HELP, STOP and "no survey waiting" at phone level, the
 * choice menu) in `language`: that language's catalog, and the project's help text only in the default
 * language, as in a step.
 */
export function phoneTexts(settings: ConversationSettings, catalog: Catalog, languages: Languages, language: string | undefined): { catalog: Catalog; helpText: string | undefined } {
  if (translatedOption(languages, language) === undefined) return { catalog, helpText: settings.helpText };
  return { catalog: languageCatalog(catalog, languages, language), helpText: undefined };
}

/** The option of `language` when it is not the dictionary's own (the first); undefined otherwise. */
function translatedOption(languages: Languages, language: string | undefined): ReturnType<typeof languageOption> {
  const option = languageOption(languages, language);
  return option === languages.options[0] ? undefined : option;
}

/** Survey texts in the translation where it has them; MLM falls back to the default language. */
function translatedSurveys(
  surveys: ConversationSettings['surveys'],
  translated: Readonly<Record<string, { title?: string; instructions?: string; endText?: string }>>,
): Record<string, SurveySettings> {
  const names = new Set([...Object.keys(surveys), ...Object.keys(translated)]);
  return Object.fromEntries([...names].map((name) => [name, { stopActions: {}, ...surveys[name], ...translated[name] }]));
}
