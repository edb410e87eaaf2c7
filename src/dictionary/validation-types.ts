/**
 * Every REDCap built-in text validation type, as the dictionary names it (column H).
 * The answers engine reads this registry to validate replies; the loader uses it to warn on unknown names.
 */

export type ValidationFamily =
  | 'date' | 'datetime' | 'datetime_seconds' | 'time'
  | 'integer' | 'number' | 'email' | 'phone' | 'postal_code' | 'ssn' | 'text' | 'mrn'
  /** Markers on non-text fields: `signature` on file, `autocomplete` on dropdown. */
  | 'marker';

/** Order of the date parts the participant types; storage is always Y-M-D. */
export type DateOrder = 'ymd' | 'mdy' | 'dmy';

export interface ValidationType {
  name: string;
  family: ValidationFamily;
  /** REDCap's label for the type, for messages to study teams. */
  label: string;
  /** Date, datetime and datetime_seconds types only. */
  order?: DateOrder;
  /** Fixed number of decimals (`number_2dp` → 2); absent when free. */
  decimals?: number;
  /** True for the `*_comma_decimal` number types. */
  commaDecimal?: boolean;
  /** The field type the marker belongs on (`file` for signature, `dropdown` for autocomplete). */
  fieldType?: 'text' | 'file' | 'dropdown';
}

const ORDERS: readonly DateOrder[] = ['ymd', 'mdy', 'dmy'];
const ORDER_LABEL: Record<DateOrder, string> = { ymd: 'Y-M-D', mdy: 'M-D-Y', dmy: 'D-M-Y' };
const DECIMALS = [1, 2, 3, 4] as const;

function dateTypes(): ValidationType[] {
  return ORDERS.flatMap((order): ValidationType[] => [
    { name: `date_${order}`, family: 'date', order, label: `Date (${ORDER_LABEL[order]})` },
    { name: `datetime_${order}`, family: 'datetime', order, label: `Datetime (${ORDER_LABEL[order]} H:M)` },
    {
      name: `datetime_seconds_${order}`, family: 'datetime_seconds', order,
      label: `Datetime w/ seconds (${ORDER_LABEL[order]} H:M:S)`,
    },
  ]);
}

function numberTypes(): ValidationType[] {
  const places = (n: number): string => `${n} decimal place${n === 1 ? '' : 's'}`;
  return [
    { name: 'integer', family: 'integer', label: 'Integer' },
    { name: 'number', family: 'number', label: 'Number' },
    ...DECIMALS.map((n): ValidationType => ({
      name: `number_${n}dp`, family: 'number', decimals: n, label: `Number (${places(n)})`,
    })),
    { name: 'number_comma_decimal', family: 'number', commaDecimal: true, label: 'Number (comma as decimal)' },
    ...DECIMALS.map((n): ValidationType => ({
      name: `number_${n}dp_comma_decimal`, family: 'number', decimals: n, commaDecimal: true,
      label: `Number (${places(n)} - comma as decimal)`,
    })),
  ];
}

const OTHER_TYPES: ValidationType[] = [
  { name: 'time', family: 'time', label: 'Time (HH:MM)' },
  { name: 'time_hh_mm_ss', family: 'time', label: 'Time (HH:MM:SS)' },
  { name: 'time_mm_ss', family: 'time', label: 'Time (MM:SS)' },
  { name: 'email', family: 'email', label: 'Email' },
  { name: 'phone', family: 'phone', label: 'Phone (North America)' },
  { name: 'phone_australia', family: 'phone', label: 'Phone (Australia)' },
  { name: 'phone_uk', family: 'phone', label: 'Phone (UK)' },
  { name: 'zipcode', family: 'postal_code', label: 'Zipcode (U.S.)' },
  { name: 'postalcode_australia', family: 'postal_code', label: 'Postal Code (Australia)' },
  { name: 'postalcode_canada', family: 'postal_code', label: 'Postal Code (Canada)' },
  { name: 'postalcode_french', family: 'postal_code', label: 'Code Postal 5 characters (France)' },
  { name: 'postalcode_germany', family: 'postal_code', label: 'Postal Code (Germany)' },
  { name: 'postalcode_uk', family: 'postal_code', label: 'Postal Code (UK)' },
  { name: 'ssn', family: 'ssn', label: 'Social Security Number (U.S.)' },
  { name: 'alpha_only', family: 'text', label: 'Letters only' },
  { name: 'mrn_10d', family: 'mrn', label: 'MRN (10 digits)' },
  { name: 'mrn_generic', family: 'mrn', label: 'MRN (generic)' },
  { name: 'vmrn', family: 'mrn', label: 'Vanderbilt MRN' },
  { name: 'signature', family: 'marker', fieldType: 'file', label: 'Signature' },
  { name: 'autocomplete', family: 'marker', fieldType: 'dropdown', label: 'Auto-complete' },
];

/** The registry, in REDCap's menu order. */
export const VALIDATION_TYPES: readonly ValidationType[] = Object.freeze([
  ...dateTypes(), ...OTHER_TYPES.slice(0, 3), ...numberTypes(), ...OTHER_TYPES.slice(3),
]);

const BY_NAME: ReadonlyMap<string, ValidationType> = new Map(VALIDATION_TYPES.map((t) => [t.name, t]));

/** The built-in type of that name, or undefined for a site-defined or misspelled one. */
export function validationType(name: string): ValidationType | undefined {
  return BY_NAME.get(name);
}

/** The field type a validation name belongs on: markers have their own, everything else is `text`. */
export function fieldTypeForValidation(type: ValidationType): 'text' | 'file' | 'dropdown' {
  return type.fieldType ?? 'text';
}
