import { describe, expect, it } from 'vitest';
import { apiProblem } from '../../../sim/component/publisher-api.js';

describe('sim publisher API: the API object a POST must carry (publisher-api.yaml, API schema)', () => {
  it('accepts name, context and version within their rules', () => {
    expect(apiProblem({ name: 'MigProbe', context: '/migprobe', version: '1.0.0' })).toBeNull();
    expect(apiProblem({ name: 'Pizza Shack', context: 'pizza', version: 'v1', provider: 'admin' })).toBeNull();
  });
  it('refuses a missing required field, naming it', () => {
    expect(apiProblem({ context: '/a', version: '1' })).toBe('name may not be null');
    expect(apiProblem({ name: 'A', version: '1' })).toBe('context may not be null');
    expect(apiProblem({ name: 'A', context: '/a' })).toBe('version may not be null');
    expect(apiProblem([])).toMatch(/not an API object/);
  });
  it('refuses what the schema\'s lengths and patterns refuse', () => {
    expect(apiProblem({ name: 'x'.repeat(61), context: '/a', version: '1' })).toMatch(/^name:/);
    expect(apiProblem({ name: 'a/b', context: '/a', version: '1' })).toMatch(/^name:/);
    expect(apiProblem({ name: 'A', context: '', version: '1' })).toMatch(/^context:/);
    expect(apiProblem({ name: 'A', context: '/a', version: '1 0' })).toMatch(/^version:/);
    expect(apiProblem({ name: 'A', context: '/a', version: '1', provider: 'p'.repeat(51) })).toMatch(/^provider:/);
  });
});
