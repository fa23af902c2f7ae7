import { readFileSync } from 'node:fs';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import type { Component } from '../../../sim/component/args.js';
import { runConfigMapper } from '../../../sim/component/config-mapper.js';
import type { TomlTable } from '../../../sim/component/placeholders.js';
import { REQUIRED_REFS } from '../../../sim/rules/required-refs.js';
import { SOURCES } from '../../../sim/rules/sources.js';
import type { DataVersion, Pack } from '../../../sim/rules/versions.js';

const toml = (text: string): TomlTable => parse(text) as TomlTable;
const conf = (name: string): TomlTable => toml(readFileSync(new URL(`../../../sim/pack/conf/${name}.toml`, import.meta.url), 'utf8'));
const map = (doc: TomlTable, component: Component, version: DataVersion | undefined = '4.6') =>
  runConfigMapper({ doc, version, component, env: {}, systemProperties: {} });
const failure = (key: string): { ok: false; exception: string } =>
  ({ ok: false, exception: `org.wso2.config.mapper.ConfigParserException: Configuration with key ${key} doesn't exist` });

const GATEWAY_46 = `
[server]
hostname = "gw.lab"
[super_admin]
username = "admin"
password = "pw"
[database.shared_db]
type = "h2"
url = "jdbc:h2:./repository/database/WSO2SHARED_DB;DB_CLOSE_ON_EXIT=FALSE"
username = "wso2carbon"
password = "wso2carbon"
`;

describe('the keys a node cannot start without (sim/rules/required-refs.ts)', () => {
  it('accepts every default deployment.toml of the simulated packs, for every version read', () => {
    for (const version of ['4.5', '4.6', '4.7'] as const) {
      for (const [name, component] of [['all-in-one', 'all-in-one'], ['control-plane', 'control-plane'], ['key-manager', 'key-manager'],
        ['gateway', 'gateway'], ['traffic-manager', 'traffic-manager']] as const) {
        expect(map(conf(name), component, version), `${version} ${name}`).toMatchObject({ ok: true });
      }
    }
  });

  it('stops a 4.5/4.6 gateway or traffic manager without [database.shared_db], as the config mapper does', () => {
    const doc = toml(GATEWAY_46.replace(/\[database\.shared_db\][\s\S]*$/, ''));
    for (const version of ['4.5', '4.6'] as const) {
      expect(map(doc, 'gateway', version)).toEqual(failure('database.shared_db.username'));
      expect(map(doc, 'traffic-manager', version)).toEqual(failure('database.shared_db.username'));
    }
    const withUser = toml(`${GATEWAY_46.replace(/\[database\.shared_db\][\s\S]*$/, '')}[database.shared_db]\nusername = "u"\n`);
    expect(map(withUser, 'gateway')).toEqual(failure('database.shared_db.url'));
    expect(map(toml(GATEWAY_46), 'gateway')).toMatchObject({ ok: true });
  });

  it('lets a 4.7 gateway and traffic manager start without it (default.json has shared_db there), but not a 4.7 control plane', () => {
    const doc = toml(GATEWAY_46.replace(/\[database\.shared_db\][\s\S]*$/, ''));
    expect(map(doc, 'gateway', '4.7')).toMatchObject({ ok: true });
    expect(map(doc, 'traffic-manager', '4.7')).toMatchObject({ ok: true });
    expect(map(doc, 'control-plane', '4.7')).toEqual(failure('database.shared_db.username'));
  });

  it('stays lenient for versions whose files were not read', () => {
    const doc = toml('[server]\noffset = 1');
    expect(runConfigMapper({ doc, version: undefined, component: 'gateway', env: {}, systemProperties: {} })).toMatchObject({ ok: true });
  });

  const rows = REQUIRED_REFS.flatMap((r) => r.versions.flatMap((v) => r.packs.map((p) => ({ key: r.key, version: v, pack: p, sources: r.sources }))));
  it.each(rows)('$version $pack stops without $key', ({ key, version, pack, sources }) => {
    for (const s of sources) expect(SOURCES[s]).toBeTruthy();
    const doc = toml(GATEWAY_46);
    const parts = key.split('.');
    let node = doc as Record<string, unknown>;
    for (const p of parts.slice(0, -1)) node = node[p] as Record<string, unknown>;
    delete node[parts.at(-1)!];
    // A known type would infer the URL (for h2: WSO2CARBON_DB, kernel infer.json), so the URL is missing only without one.
    if (key.endsWith('.url')) delete node['type'];
    const component: Component = (pack as Pack) === 'control-plane' ? 'control-plane' : (pack as Component);
    expect(map(doc, component, version)).toEqual(failure(key));
  });
});

describe('infer.json (sim/rules/infer.ts): unknown values add nothing and stop nothing', () => {
  it('starts a 4.6 gateway with server_role "gateway-worker", noting that infer.json knows only "default"', () => {
    const result = map(toml(`${GATEWAY_46.replace('hostname = "gw.lab"', 'hostname = "gw.lab"\nserver_role = "gateway-worker"')}`), 'gateway');
    expect(result.ok).toBe(true);
    expect(result.ok && result.notes).toEqual([expect.stringContaining('server_role "gateway-worker" is not a value this pack\'s infer.json knows (default)')]);
    const aio = map(toml(GATEWAY_46.replace('hostname = "gw.lab"', 'hostname = "gw.lab"\nserver_role = "gateway-worker"')), 'all-in-one');
    expect(aio.ok && aio.notes).toEqual([]);
  });

  it('infers driver, URL and validation query from a known type, and needs the hostname, port and name the URL refers to', () => {
    const base = `${GATEWAY_46}\n[database.apim_db]\ntype = "postgre"\nhostname = "db.lab"\nname = "apim_db"\nusername = "u"\npassword = "p"\n`;
    expect(map(toml(base), 'control-plane')).toEqual(failure('database.apim_db.port'));
    const result = map(toml(base.replace('name = "apim_db"', 'name = "apim_db"\nport = 5432')), 'control-plane');
    expect(result.ok && [result.flat.get('database.apim_db.url'), result.flat.get('database.apim_db.driver')])
      .toEqual(['jdbc:postgresql://db.lab:5432/apim_db', 'org.postgresql.Driver']);
  });

  it('keeps what deployment.toml says over what is inferred (mysql: com.mysql.jdbc.Driver unless driver is set)', () => {
    const doc = `${GATEWAY_46}\n[database.apim_db]\ntype = "mysql"\nurl = "jdbc:mysql://db:3306/apim_db"\n`;
    const inferred = map(toml(doc), 'control-plane');
    expect(inferred.ok && inferred.flat.get('database.apim_db.driver')).toBe('com.mysql.jdbc.Driver');
    const explicit = map(toml(`${doc}driver = "com.mysql.cj.jdbc.Driver"\n`), 'control-plane');
    expect(explicit.ok && explicit.flat.get('database.apim_db.driver')).toBe('com.mysql.cj.jdbc.Driver');
  });

  it('notes a database type infer.json does not know ("postgresql") and infers nothing for it', () => {
    const result = map(toml(`${GATEWAY_46}\n[database.apim_db]\ntype = "postgresql"\nurl = "jdbc:postgresql://db:5432/apim_db"\n`), 'control-plane');
    expect(result.ok && result.notes).toEqual([expect.stringContaining('[database.apim_db] type "postgresql" is not a type infer.json knows')]);
    expect(result.ok && result.flat.has('database.apim_db.driver')).toBe(false);
  });
});
