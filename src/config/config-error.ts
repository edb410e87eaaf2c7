/**
 * A start-up configuration problem. Each entry of `problems` is one line that names the variable or
 * the file position at fault and never the offending value, because the value may be a secret.
 */
export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(source: string, problems: readonly string[]) {
    super(`${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = Object.freeze([...problems]);
  }
}
