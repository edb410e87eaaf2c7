/**
 * REDCap's request body: form-encoded fields, with lists sent as `name[0]=a&name[1]=b`.
 * The client encodes with it and the emulator decodes with it, so both agree on one wire format.
 */

export type FormValue = string | readonly string[];
export type FormParams = Readonly<Record<string, FormValue | undefined>>;

export function encodeForm(params: FormParams): string {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (typeof value === 'string') body.append(name, value);
    else value.forEach((item, index) => body.append(`${name}[${index}]`, item));
  }
  return body.toString();
}

/** Decoded fields: single values as strings, `name[i]` (or `name[]`) fields gathered into lists in index order. */
export interface DecodedForm {
  values: ReadonlyMap<string, string>;
  lists: ReadonlyMap<string, readonly string[]>;
}

const LIST_ITEM = /^([^[\]]+)\[(\d*)\]$/;

export function decodeForm(body: string): DecodedForm {
  const values = new Map<string, string>();
  const items = new Map<string, { index: number; value: string }[]>();
  for (const [key, value] of new URLSearchParams(body)) {
    const item = LIST_ITEM.exec(key);
    if (!item) {
      values.set(key, value);
      continue;
    }
    const [, name = '', index = ''] = item;
    const list = items.get(name) ?? [];
    list.push({ index: index === '' ? list.length : Number(index), value });
    items.set(name, list);
  }
  const lists = new Map(
    [...items].map(([name, list]) => [name, list.sort((a, b) => a.index - b.index).map((i) => i.value)] as const),
  );
  return { values, lists };
}

/**
 * A list parameter, whichever way the caller sent it: as `name[i]` items or, as REDCap also accepts,
 * one comma-separated value.
 */
export function listParam(form: DecodedForm, name: string): string[] {
  const list = form.lists.get(name);
  if (list) return [...list];
  const single = form.values.get(name);
  if (single === undefined || single.trim() === '') return [];
  return single.split(',').map((part) => part.trim()).filter((part) => part !== '');
}
