import { ConfigError } from '../../src/config/config-error.js';

/** The problems a ConfigError lists; anything else that is thrown, or nothing thrown, fails the test. */
export function problemsOf(action: () => unknown): readonly string[] {
  try {
    action();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}
