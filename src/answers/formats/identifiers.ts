import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { message } from '../../messages/catalog.js';
import { failWith, okValue } from '../types.js';
import type { TextFormat } from './format.js';

/** A type whose reply is normalised by one function: the stored value, or undefined when invalid. */
function shapedFormat(name: string, normalise: (text: string) => string | undefined): TextFormat {
  return {
    read(text) {
      const stored = normalise(text.trim());
      return stored === undefined ? failWith(`reply.${name}.invalid`) : okValue(stored);
    },
    hint: (catalog) => message(catalog, `hint.${name}`),
    show: (stored) => stored,
  };
}

const digitsOnly = (text: string): string => text.replace(/[\s\-().]/g, '');
const when = (ok: boolean, value: string): string | undefined => (ok ? value : undefined);

/** North America: area code and exchange start 2–9; stored the way REDCap shows it, `(415) 555-1212`. */
function northAmericanPhone(text: string): string | undefined {
  const phone = parsePhoneNumberFromString(text, 'US');
  const national = phone?.nationalNumber ?? '';
  if (phone?.countryCallingCode !== '1' || !/^[2-9]\d{2}[2-9]\d{6}$/.test(national)) return undefined;
  const extension = phone.ext === undefined ? '' : ` x${phone.ext}`;
  return `(${national.slice(0, 3)}) ${national.slice(3, 6)}-${national.slice(6)}${extension}`;
}

function nationalPhone(country: CountryCode): (text: string) => string | undefined {
  return (text) => {
    const phone = parsePhoneNumberFromString(text, country);
    return phone !== undefined && phone.country === country && phone.isValid() ? phone.formatNational() : undefined;
  };
}

function ukPostcode(text: string): string | undefined {
  const compact = text.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$/.test(compact)) return undefined;
  return `${compact.slice(0, -3)} ${compact.slice(-3)}`;
}

function canadianPostcode(text: string): string | undefined {
  const compact = text.replace(/[\s-]+/g, '').toUpperCase();
  return when(/^[ABCEGHJ-NPRSTVXY]\d[A-Z]\d[A-Z]\d$/.test(compact), `${compact.slice(0, 3)} ${compact.slice(3)}`);
}

function zipcode(text: string): string | undefined {
  const m = /^(\d{5})(?:[\s-]?(\d{4}))?$/.exec(text);
  if (m === null) return undefined;
  return m[2] === undefined ? (m[1] ?? '') : `${m[1] ?? ''}-${m[2]}`;
}

function ssn(text: string): string | undefined {
  const digits = digitsOnly(text);
  return when(/^\d{9}$/.test(digits), `${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}`);
}

export const IDENTIFIER_FORMATS: Readonly<Record<string, TextFormat>> = {
  email: shapedFormat('email', (t) => when(/^[^\s@]+@[^\s@]+\.[^\s@.]{2,}$/.test(t) && t.length <= 254, t)),
  phone: shapedFormat('phone', northAmericanPhone),
  phone_australia: shapedFormat('phone_australia', nationalPhone('AU')),
  phone_uk: shapedFormat('phone_uk', nationalPhone('GB')),
  zipcode: shapedFormat('zipcode', zipcode),
  postalcode_australia: shapedFormat('postalcode_australia', (t) => when(/^\d{4}$/.test(t), t)),
  postalcode_canada: shapedFormat('postalcode_canada', canadianPostcode),
  postalcode_french: shapedFormat('postalcode_french', (t) => when(/^\d{5}$/.test(t), t)),
  postalcode_germany: shapedFormat('postalcode_germany', (t) => when(/^\d{5}$/.test(t), t)),
  postalcode_uk: shapedFormat('postalcode_uk', ukPostcode),
  ssn: shapedFormat('ssn', ssn),
  alpha_only: shapedFormat('alpha_only', (t) => when(/^[A-Za-z]+$/.test(t), t)),
  mrn_10d: shapedFormat('mrn_10d', (t) => when(/^\d{10}$/.test(digitsOnly(t)), digitsOnly(t))),
  vmrn: shapedFormat('vmrn', (t) => when(/^\d{4,9}$/.test(digitsOnly(t)), digitsOnly(t))),
  mrn_generic: shapedFormat('mrn_generic', (t) => when(/^[A-Za-z0-9][A-Za-z0-9-]{0,29}$/.test(t), t)),
};
