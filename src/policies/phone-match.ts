import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/**
 * Phone numbers as REDCap projects store them — `(650) 380-3405`, `6503803405`, `+16503803405` —
 * compared as E.164. A number without a country code is read in `home`: a country (`US`) or a calling
 * code (`1`), the latter for number ranges libphonenumber cannot pin to one country.
 */
export function toE164(stored: string, home: CountryCode | string | undefined): string | undefined {
  const options = home === undefined ? undefined : /^\d+$/.test(home) ? { defaultCallingCode: home } : { defaultCountry: home as CountryCode };
  const parsed = parsePhoneNumberFromString(stored.trim(), options);
  return parsed?.isPossible() ? parsed.number : undefined;
}

/** The country calling code of an E.164 number, used to read national numbers stored next to it. */
export function callingCodeOf(e164: string): string | undefined {
  return parsePhoneNumberFromString(e164)?.countryCallingCode;
}

/** Whether a stored phone value is the same number as `e164`, however it was written. */
export function samePhone(stored: string, e164: string): boolean {
  return stored.trim() !== '' && toE164(stored, callingCodeOf(e164)) === e164;
}

/** The country of an E.164 number, when its range belongs to one country. */
export function countryOf(e164: string): CountryCode | undefined {
  return parsePhoneNumberFromString(e164)?.country;
}
