import { describe, expect, it } from 'vitest';
import { expandProperties, resolveReferences } from '../../../sim/component/placeholders.js';

describe('deployment.toml references', () => {
  it('resolves $env{} from the environment, inside longer strings and lists', () => {
    const { doc, problems } = resolveReferences(
      { a: { password: '$env{PW}', url: 'jdbc:postgresql://$env{DB_HOST}:5432/x', list: ['tcp://$env{DB_HOST}:1'] } },
      { PW: 's3cret', DB_HOST: 'db1' },
    );
    expect(problems).toEqual([]);
    expect(doc).toEqual({ a: { password: 's3cret', url: 'jdbc:postgresql://db1:5432/x', list: ['tcp://db1:1'] } });
  });

  it('reports a missing variable with the key that uses it', () => {
    const { problems } = resolveReferences({ database: { apim_db: { password: '$env{APIM_DB_PASSWORD}' } } }, {});
    expect(problems).toEqual([
      'database.apim_db.password: environment variable "APIM_DB_PASSWORD" referenced as $env{APIM_DB_PASSWORD} is not set',
    ]);
  });

  it('resolves $ref{} to another key, after $env{}', () => {
    const { doc, problems } = resolveReferences(
      { super_admin: { username: 'admin', password: '$env{PW}' }, apim: { event_hub: { password: '$ref{super_admin.password}' } } },
      { PW: 'pw' },
    );
    expect(problems).toEqual([]);
    expect((doc['apim'] as { event_hub: { password: string } }).event_hub.password).toBe('pw');
  });

  it('reports a $ref{} to nothing', () => {
    expect(resolveReferences({ a: '$ref{no.such}' }, {}).problems).toEqual(['a: $ref{no.such} does not name a key with a plain value']);
  });

  it('keeps ${...} and $secret{} unless told the property', () => {
    const { doc } = resolveReferences({ a: '${carbon.home}', b: '$secret{alias}' }, {});
    expect(doc).toEqual({ a: '${carbon.home}', b: '$secret{alias}' });
    expect(expandProperties('https://localhost:${mgt.transport.https.port}/services/', { 'mgt.transport.https.port': '9453' }))
      .toBe('https://localhost:9453/services/');
    expect(expandProperties('${unknown.x}', {})).toBe('${unknown.x}');
  });
});
