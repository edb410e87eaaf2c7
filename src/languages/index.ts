export type { Translation, FieldTranslation, SurveyTexts, TranslationLoad, TranslationProblem } from './translation.js';
export { problemText } from './translation.js';
export { parseTranslation, type TranslationSource, type TranslationFormat } from './parse-translation.js';
export { localizeSurvey } from './localize.js';
export { KEYWORD_LISTS, NO_LANGUAGES, languageCatalog, languageOption, startingLanguage, type KeywordList, type LanguageOption, type Languages } from './languages.js';
export { memoPair } from './memo.js';
export { languageCosts, type CostedLanguage, type LanguageCost, type LanguageInstrumentCost, type Ucs2Text } from './language-cost.js';
