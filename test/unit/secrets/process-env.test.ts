import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { readProcessVariables } from '../../../src/secrets/process-env.js';

describe('readProcessVariables (--env-from-process)', () => {
  const env = { DB_PASSWORD: 'db-secret', ADMIN_PASSWORD: 'adm', PATH: '/usr/bin', EMPTY: '' };

  it('reads the named variables and nothing else', () => {
    const values = readProcessVariables(['DB_PASSWORD'], env);
    expect([...values]).toEqual([['DB_PASSWORD', 'db-secret']]);
  });

  it('names every variable that is not set, and never guesses from the rest of the environment', () => {
    const err = (() => {
      try {
        readProcessVariables(['DB_PASSWORD', 'NOPE', 'ALSO_NOPE'], env);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toBe('--env-from-process: NOPE, ALSO_NOPE are not set in the environment');
  });

  it('refuses a variable set to an empty string (a CI secret that did not reach the job)', () => {
    expect(() => readProcessVariables(['EMPTY'], env)).toThrow('--env-from-process: EMPTY is set but empty');
  });

  it('refuses names that are not variable names', () => {
    expect(() => readProcessVariables(['DB-PASSWORD'], env)).toThrow("'DB-PASSWORD' is not a variable name");
  });

  it('does not read inherited properties as variables', () => {
    expect(() => readProcessVariables(['constructor'], {})).toThrow('constructor is not set');
  });
});
