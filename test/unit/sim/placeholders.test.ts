import { describe, expect, it } from 'vitest';
import { runConfigMapper, type MapperInput } from '../../../sim/component/config-mapper.js';
import { expandProperties, flatten } from '../../../sim/component/placeholders.js';

const SERVER = { server: { hostname: 'cp.lab' }, super_admin: { username: 'admin', password: 'pw' } };
const SHARED = { database: { shared_db: { type: 'h2', url: 'jdbc:h2:./x', username: 'u', password: 'p' } } };
const input = (doc: Record<string, unknown>, env: Record<string, string> = {}, systemProperties: Record<string, string> = {}): MapperInput =>
  ({ doc: { ...SERVER, ...SHARED, ...doc }, version: '4.6', component: 'control-plane', env, systemProperties });

describe('deployment.toml references, as the config mapper resolves them (wso2/config-mapper ReferenceResolver)', () => {
  it('flattens tables to dotted keys and quotes a key segment that holds a dot', () => {
    const flat = flatten({ a: { b: { c: 1 } }, e: { properties: { 'header.X': 'v' } }, l: [{ x: 1 }] });
    expect([...flat.entries()]).toEqual([['a.b.c', 1], ["e.properties.'header.X'", 'v'], ['l', [{ x: 1 }]]]);
  });

  it('resolves $env{} from the environment, inside longer strings and lists', () => {
    const result = runConfigMapper(input({ a: { password: '$env{PW}', url: 'jdbc:postgresql://$env{DB_HOST}:5432/x', list: ['tcp://$env{DB_HOST}:1'] } }, { PW: 's3cret', DB_HOST: 'db1' }));
    expect(result.ok && [result.flat.get('a.password'), result.flat.get('a.url'), result.flat.get('a.list')]).toEqual(['s3cret', 'jdbc:postgresql://db1:5432/x', ['tcp://db1:1']]);
  });

  it('stops at a missing variable with the mapper\'s own message', () => {
    expect(runConfigMapper(input({ database: { apim_db: { password: '$env{APIM_DB_PASSWORD}' } } }))).toEqual({
      ok: false, exception: 'org.wso2.config.mapper.ConfigParserException: Environment variable APIM_DB_PASSWORD not defined in system',
    });
  });

  it('resolves $sys{} from -D system properties and stops when one is missing', () => {
    const ok = runConfigMapper(input({ a: { v: '$sys{node.name}' } }, {}, { 'node.name': 'gw-1' }));
    expect(ok.ok && ok.flat.get('a.v')).toBe('gw-1');
    expect(runConfigMapper(input({ a: { v: '$sys{node.name}' } }))).toMatchObject({ ok: false, exception: expect.stringContaining('Error while retrieving node.name system property') });
  });

  it('resolves $ref{} to another key, after $env{}', () => {
    const result = runConfigMapper(input({ super_admin: { username: 'admin', password: '$env{PW}' }, apim: { event_hub: { password: '$ref{super_admin.password}' } } }, { PW: 'pw' }));
    expect(result.ok && result.flat.get('apim.event_hub.password')).toBe('pw');
  });

  it('leaves a $ref{} to a key default.json may define as written: the simulator does not carry all of default.json', () => {
    const result = runConfigMapper(input({ a: '$ref{apim.throttling.username}' }));
    expect(result.ok && result.flat.get('a')).toBe('$ref{apim.throttling.username}');
  });

  it('stops at a $ref{} to a key no default.json of the version defines', () => {
    expect(runConfigMapper(input({ apim: { x: '$ref{server.hostname}' }, server: {} }))).toEqual({
      ok: false, exception: "org.wso2.config.mapper.ConfigParserException: Configuration with key server.hostname doesn't exist",
    });
  });

  it('keeps ${...} and $secret{} for Carbon to expand at run time', () => {
    const result = runConfigMapper(input({ a: '${carbon.home}', b: '$secret{alias}' }));
    expect(result.ok && [result.flat.get('a'), result.flat.get('b')]).toEqual(['${carbon.home}', '$secret{alias}']);
    expect(expandProperties('https://localhost:${mgt.transport.https.port}/services/', { 'mgt.transport.https.port': '9453' }))
      .toBe('https://localhost:9453/services/');
    expect(expandProperties('${unknown.x}', {})).toBe('${unknown.x}');
  });
});
