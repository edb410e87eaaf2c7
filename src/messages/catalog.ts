/**
 * Every text a participant can receive lives here, keyed, with `{name}` placeholders.
 * A project or language overrides any subset of keys with a catalog file (see parse-catalog.ts);
 * missing keys fall back to English, so a partial override never produces a blank message.
 */

export type Catalog = Readonly<Record<string, string>>;

const PROMPT_HINTS = {
  'hint.skip': '(Reply SKIP to skip)',
  'hint.prefilled': '(Already filled in: {value}. Reply SKIP to keep it, or send another answer.)',
  'hint.checkbox': 'Reply with one or more numbers, e.g. {example}',
  'hint.checkboxCodes': 'Reply with one or more of the codes, e.g. {example}',
  'hint.maxChecked': '(choose up to {max})',
  'hint.slider': 'Reply with a number from {min} to {max}',
  'hint.sliderLabels': '({labels})',
  'hint.charLimit': '(up to {limit} characters)',
  'hint.wordLimit': '(up to {limit} words)',
  'hint.date': '({order})',
  'hint.datetime': '({order} HH:MM, 24-hour)',
  'hint.datetime_seconds': '({order} HH:MM:SS, 24-hour)',
  'hint.time': '(HH:MM, 24-hour)',
  'hint.time_hh_mm_ss': '(HH:MM:SS, 24-hour)',
  'hint.time_mm_ss': '(minutes and seconds, MM:SS)',
  'hint.integer': '(a whole number)',
  'hint.number': '(a number)',
  'hint.numberLike': '(a number like {example})',
  'hint.email': '(an email address)',
  'hint.phone': '(a 10-digit phone number)',
  'hint.phone_australia': '(an Australian phone number)',
  'hint.phone_uk': '(a UK phone number)',
  'hint.zipcode': '(a 5-digit ZIP code)',
  'hint.postalcode_australia': '(a 4-digit postcode)',
  'hint.postalcode_canada': '(a postal code like A1A 1A1)',
  'hint.postalcode_french': '(a 5-digit postal code)',
  'hint.postalcode_germany': '(a 5-digit postal code)',
  'hint.postalcode_uk': '(a UK postcode like SW1A 1AA)',
  'hint.ssn': '(a 9-digit Social Security number)',
  'hint.alpha_only': '(letters only)',
  'hint.mrn_10d': '(10 digits)',
  'hint.mrn_generic': '(letters and digits)',
  'hint.vmrn': '(4 to 9 digits)',
} as const;

const WORDS = {
  'order.ymd': 'year-month-day',
  'order.mdy': 'month-day-year',
  'order.dmy': 'day-month-year',
  'choice.yes': 'Yes',
  'choice.no': 'No',
  'choice.true': 'True',
  'choice.false': 'False',
  // Comma-separated words a participant may type; first is the canonical one.
  'words.yes': 'yes, y',
  'words.no': 'no, n',
  'words.true': 'true, t',
  'words.false': 'false, f',
  'words.and': 'and',
  'words.or': 'or',
  'words.today': 'today',
  'words.now': 'now',
  'words.am': 'am, a.m., a',
  'words.pm': 'pm, p.m., p',
  'words.months':
    'january, february, march, april, may, june, july, august, september, october, november, december',
} as const;

const REPLY_ERRORS = {
  'reply.empty': 'Please reply with an answer.',
  'reply.required': 'This question is required. Please reply with an answer.',
  'reply.notAskable': 'This question cannot be answered by text message.',
  'reply.unreadable': 'Sorry, that answer could not be read. Please try again.',
  'reply.choice.unknown': 'That is not one of the choices. Please reply with {codes}.',
  'reply.checkbox.unknown': '"{token}" is not one of the choices. Please reply with one or more of {codes}.',
  'reply.checkbox.exclusive': '"{label}" cannot be combined with other choices. Please reply again.',
  'reply.checkbox.maxChecked': 'Please choose at most {max}.',
  'reply.ranking.used': 'That choice is already used for another row. Please reply with {codes}.',
  'reply.slider.invalid': 'Please reply with a whole number from {min} to {max}.',
  'reply.charLimit': 'Please keep your answer to {limit} characters or fewer (yours has {count}).',
  'reply.wordLimit': 'Please keep your answer to {limit} words or fewer (yours has {count}).',
  'reply.date.invalid': 'Please reply with a date as {order}, e.g. {example}.',
  'reply.date.impossible': 'That date does not exist. Please reply with a date as {order}, e.g. {example}.',
  'reply.datetime.invalid': 'Please reply with a date and time as {order} HH:MM, e.g. {example}.',
  'reply.datetime_seconds.invalid': 'Please reply with a date and time as {order} HH:MM:SS, e.g. {example}.',
  'reply.time.invalid': 'Please reply with a time as HH:MM (24-hour), e.g. 14:30.',
  'reply.time_hh_mm_ss.invalid': 'Please reply with a time as HH:MM:SS (24-hour), e.g. 14:30:00.',
  'reply.time_mm_ss.invalid': 'Please reply with minutes and seconds as MM:SS, e.g. 04:30.',
  'reply.integer.invalid': 'Please reply with a whole number, e.g. 42.',
  'reply.integer.spaces': 'Please reply with one whole number, without spaces, e.g. 42.',
  'reply.integer.separators': 'Please write the whole number without commas or points, e.g. 1500.',
  'reply.number.invalid': 'Please reply with a number, e.g. {example}.',
  'reply.number.spaces': 'Please reply with one number, without spaces, e.g. {example}.',
  'reply.number.comma': 'Please write the number without commas, with a point for decimals, e.g. 1500 or {example}.',
  'reply.number.point': 'Please write the number without points, with a comma for decimals, e.g. 1500 or {example}.',
  'reply.number.decimals': 'Too many digits after the decimal point. Please reply with a number like {example}.',
  'reply.email.invalid': 'Please reply with a valid email address, like joe@example.com.',
  'reply.phone.invalid': 'Please reply with a 10-digit phone number, like 415 555 1212.',
  'reply.phone_australia.invalid': 'Please reply with an Australian phone number, like 0412 345 678.',
  'reply.phone_uk.invalid': 'Please reply with a UK phone number, like 020 7946 0018.',
  'reply.zipcode.invalid': 'Please reply with a 5- or 9-digit ZIP code, like 94043.',
  'reply.postalcode_australia.invalid': 'Please reply with a 4-digit postcode, like 2000.',
  'reply.postalcode_canada.invalid': 'Please reply with a postal code like K1A 0B1.',
  'reply.postalcode_french.invalid': 'Please reply with a 5-digit postal code, like 75001.',
  'reply.postalcode_germany.invalid': 'Please reply with a 5-digit postal code, like 10115.',
  'reply.postalcode_uk.invalid': 'Please reply with a UK postcode, like SW1A 1AA.',
  'reply.ssn.invalid': 'Please reply with a 9-digit Social Security number, like 123-45-6789.',
  'reply.alpha_only.invalid': 'Please reply with letters only.',
  'reply.mrn_10d.invalid': 'Please reply with a 10-digit number.',
  'reply.mrn_generic.invalid': 'Please reply with letters and digits only.',
  'reply.vmrn.invalid': 'Please reply with a number of 4 to 9 digits.',
} as const;

const RANGE = {
  'range.soft.both': '{value} is outside the expected range ({min}–{max}). Reply YES to keep it, or send a new value.',
  'range.soft.min': '{value} is below the expected minimum ({min}). Reply YES to keep it, or send a new value.',
  'range.soft.max': '{value} is above the expected maximum ({max}). Reply YES to keep it, or send a new value.',
  'range.hard.both': '{value} is outside the allowed range ({min}–{max}). Please send a new value.',
  'range.hard.min': '{value} is below the allowed minimum ({min}). Please send a new value.',
  'range.hard.max': '{value} is above the allowed maximum ({max}). Please send a new value.',
} as const;

const CONVERSATION = {
  'conversation.invitation': 'You are invited to answer a short survey by text message. Reply STOP to opt out.',
  'conversation.replyToBegin': 'Reply with any text to begin.',
  'conversation.surveyLink': 'You are invited to answer a short survey: {link} Reply STOP to opt out.',
  'conversation.completion': 'Thank you! Your answers have been saved.',
  'conversation.help': 'This is a survey by text message. Reply SKIP to skip an optional question, BACK to go back, REPEAT to see the question again, STOP to opt out.',
  'conversation.optedOut': 'You will not receive any more texts from this survey. Reply START to opt back in.',
  'conversation.optedIn': 'Welcome back. Let us continue.',
  'conversation.requiredSkip': 'This question is required and cannot be skipped.',
  'conversation.nothingBefore': 'This is the first question; there is nothing to go back to.',
  'conversation.reminderPrefix': 'Reminder:',
  'conversation.expired': 'This survey has closed for now. Your answers so far have been saved.',
  'conversation.resumed': 'Welcome back. Here is where you left off:',
  'conversation.closed': 'Sorry, this survey is closed.',
  'conversation.chooseSurvey': 'You have {count} surveys waiting. Reply with a number to choose: {list}',
  'conversation.chooseAgain': 'Please reply with one of the numbers: {list}',
  'conversation.paused': 'We are having trouble understanding your replies. A member of the study team will be in touch.',
  'conversation.noSurvey': 'There is no survey waiting for you at the moment.',
} as const;

export const englishCatalog: Catalog = Object.freeze({
  ...PROMPT_HINTS,
  ...WORDS,
  ...REPLY_ERRORS,
  ...RANGE,
  ...CONVERSATION,
});

const PLACEHOLDER = /\{([A-Za-z0-9_]+)\}/g;

/**
 * The text for `key` with its placeholders filled. Never throws: a key the catalog lacks falls back
 * to English, and an unknown key comes back as itself so a typo shows up in tests, not as a blank SMS.
 */
export function message(catalog: Catalog, key: string, params?: Record<string, string | number>): string {
  const template = catalog[key] ?? englishCatalog[key] ?? key;
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    const value = params?.[name];
    return value === undefined ? whole : String(value);
  });
}

/** The placeholder names a template uses, for checking translated catalogs. */
export function placeholdersOf(template: string): Set<string> {
  return new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ''));
}

/** A comma-separated word list from the catalog (`words.yes` → ['yes', 'y']), lower-cased. */
export function wordList(catalog: Catalog, key: string): string[] {
  return message(catalog, key)
    .split(',')
    .map((w) => w.trim().toLocaleLowerCase())
    .filter((w) => w !== '');
}
