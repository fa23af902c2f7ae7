import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { Secret } from '../../../src/model/secret.js';
import type { TomlOverrideLayer, TomlTable } from '../../../src/model/toml-overrides.js';
import { mergeTomlOverrides } from '../../../src/render/toml-overrides.js';

const RENDERED = `# Rendered by apim-deploy.

[server]
offset = 0

[apim.cors]
allow_origins = "*"
allow_methods = ["GET", "PUT"]

[[event_listener]]
id = "token_revocation"

[event_listener.properties]
username = "\${admin.username}"
`;

const layer = (table: TomlTable, extra: Partial<TomlOverrideLayer> = {}): TomlOverrideLayer => ({ at: ['vars', 'deployment_toml'], table, replace: [], force: [], ...extra });
const merge = (...layers: TomlOverrideLayer[]) => {
  const state = { secretWritten: false };
  const text = mergeTomlOverrides(RENDERED, layers, state);
  return { text, doc: parse(text) as Record<string, any>, secret: state.secretWritten };
};

describe('deployment_toml merged over the rendered deployment.toml', () => {
  it('leaves the rendered text untouched without overrides', () => {
    expect(mergeTomlOverrides(RENDERED, [], { secretWritten: false })).toBe(RENDERED);
  });

  it('merges tables key by key, a later layer winning, and replaces plain lists', () => {
    const { doc, text } = merge(
      layer({ apim: { cors: { allow_origins: 'https://a', allow_methods: ['GET'] } } }),
      layer({ apim: { cors: { allow_origins: 'https://b' }, cache: { ttl: 5 } } }),
    );
    expect(doc['apim']).toEqual({ cors: { allow_origins: 'https://b', allow_methods: ['GET'] }, cache: { ttl: 5 } });
    expect(doc['server']).toEqual({ offset: 0 });
    expect(text.startsWith('# Rendered by apim-deploy.\n# deployment_toml from the inventory is merged in')).toBe(true);
  });

  it('appends arrays of tables (sub-tables staying with their entry), or replaces them when the layer says so', () => {
    const appended = merge(layer({ event_listener: [{ id: 'audit', properties: { endpoint: 'https://x' } }] })).doc;
    expect(appended['event_listener']).toEqual([
      { id: 'token_revocation', properties: { username: '${admin.username}' } },
      { id: 'audit', properties: { endpoint: 'https://x' } },
    ]);
    const replaced = merge(layer({ event_listener: [{ id: 'only' }] }, { replace: [['event_listener']] })).doc;
    expect(replaced['event_listener']).toEqual([{ id: 'only' }]);
  });

  it('escapes every string through the TOML writer and records a revealed secret', () => {
    const tricky = 'quote " backslash \\ newline \n tab \t bell \u0007 and ]] [[x]]';
    const { doc, secret, text } = merge(layer({ a: { s: tricky, p: new Secret('pw "x"', 'test') } }));
    expect(doc['a']).toEqual({ s: tricky, p: 'pw "x"' });
    expect(secret).toBe(true);
    expect(text).not.toContain('\u0007');
  });

  it('refuses to turn a table into a value or a value into a table, naming the inventory key', () => {
    expect(() => merge(layer({ apim: { cors: 'x' } }))).toThrow(ConfigError);
    expect(() => merge(layer({ apim: { cors: 'x' } }))).toThrow('vars.deployment_toml.apim.cors: apim.cors is a table in deployment.toml, the inventory gives a single value');
    expect(() => merge(layer({ server: { offset: { x: 1 } } }))).toThrow('server.offset is a single value in deployment.toml, the inventory gives a mapping');
    expect(() => merge(layer({ apim: [{ x: 1 }] }))).toThrow('apim is a table in deployment.toml, the inventory gives a list of mappings');
  });

  it('writes the same text for the same input', () => {
    const l = layer({ z: { b: 1, a: 2 }, apim: { cors: { x: true } } });
    expect(merge(l).text).toBe(merge(l).text);
  });
});
