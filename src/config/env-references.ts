/**
 * `${NAME}` references in the project file are replaced by environment variables, so tokens live in
 * the environment (or a secret store) and the file can be committed. A reference to an unset variable
 * is reported at its position; the value itself is never reported.
 */

export interface UnsetReference {
  readonly path: readonly (string | number)[];
  readonly name: string;
}

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export function substituteEnv(
  value: unknown,
  env: NodeJS.ProcessEnv,
  unset: UnsetReference[],
  path: (string | number)[] = [],
): unknown {
  if (typeof value === 'string') return substituteString(value, env, unset, path);
  if (Array.isArray(value)) return value.map((item, index) => substituteEnv(item, env, unset, [...path, index]));
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([key, inner]) => [key, substituteEnv(inner, env, unset, [...path, key])]);
    return Object.fromEntries(entries);
  }
  return value;
}

function substituteString(
  text: string,
  env: NodeJS.ProcessEnv,
  unset: UnsetReference[],
  path: (string | number)[],
): string {
  return text.replace(REFERENCE, (_match, name: string) => {
    const found = env[name];
    if (found === undefined || found === '') {
      unset.push({ path, name });
      return '';
    }
    return found;
  });
}
