import { parse as parseYaml } from 'yaml';
import { englishCatalog, placeholdersOf, type Catalog } from './catalog.js';

export type CatalogLoad =
  | { ok: true; catalog: Catalog; /** English keys the file does not translate (English is used). */ missing: string[] }
  | { ok: false; errors: string[] };

/**
 * Reads a catalog file (YAML, flat `a.b: text` keys or nested maps) and checks it against English:
 * every key must exist in English and may only use the placeholders English offers for it,
 * so a translation can never ask for a value the code does not supply.
 */
export function parseCatalog(yamlText: string): CatalogLoad {
  const document = readYaml(yamlText);
  if (typeof document === 'string') return { ok: false, errors: [document] };
  const entries: [string, unknown][] = [];
  flatten(document, '', entries);
  const errors = entries.flatMap(([key, value]) => entryErrors(key, value));
  if (errors.length > 0) return { ok: false, errors };
  const catalog = Object.freeze(Object.fromEntries(entries as [string, string][]));
  const missing = Object.keys(englishCatalog).filter((key) => !(key in catalog));
  return { ok: true, catalog, missing };
}

function readYaml(yamlText: string): Record<string, unknown> | string {
  let value: unknown;
  try {
    value = parseYaml(yamlText);
  } catch (error) {
    return `not valid YAML: ${error instanceof Error ? error.message.split('\n')[0] : 'unknown error'}`;
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) return 'a catalog must be a mapping of keys to texts';
  return value as Record<string, unknown>;
}

function flatten(node: Record<string, unknown>, prefix: string, into: [string, unknown][]): void {
  for (const [name, value] of Object.entries(node)) {
    const key = prefix === '' ? name : `${prefix}.${name}`;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      flatten(value as Record<string, unknown>, key, into);
    } else {
      into.push([key, value]);
    }
  }
}

function entryErrors(key: string, value: unknown): string[] {
  const english = englishCatalog[key];
  if (english === undefined) return [`${key}: unknown key (not in the English catalog)`];
  if (typeof value !== 'string' || value.trim() === '') return [`${key}: must be a non-empty text`];
  const allowed = placeholdersOf(english);
  return [...placeholdersOf(value)]
    .filter((name) => !allowed.has(name))
    .map((name) => `${key}: placeholder {${name}} is not available (allowed: ${[...allowed].join(', ') || 'none'})`);
}
