import { ConfigError, type ConfigIssue } from '../../../src/errors.js';

/** The issues of the ConfigError `fn` throws; any other outcome fails the test. */
export function issuesOf(fn: () => unknown): readonly ConfigIssue[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e.issues;
    throw e;
  }
  throw new Error('expected a ConfigError');
}
