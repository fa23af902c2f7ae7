import { describe, expect, it } from 'vitest';
import { parse } from 'smol-toml';
import { readFileSync } from 'node:fs';
import { checkRequirements, REQUIRED_KEYS, tomlKeyName } from '../../../sim/component/required-keys.js';
import type { TomlTable } from '../../../sim/component/placeholders.js';

const GATEWAY_OK = `
[super_admin]
username = "admin"
password = "pw"
[apim.key_manager]
service_url = "https://cp:9443/services/"
[apim.event_hub]
service_url = "https://cp:9443/services/"
event_listening_endpoints = ["tcp://cp:5672"]
[apim.throttling]
throttle_decision_endpoints = ["tcp://tm:5672"]
[[apim.throttling.url_group]]
traffic_manager_urls = ["tcp://tm:9611"]
`;

const toml = (text: string): TomlTable => parse(text) as TomlTable;

describe('required keys per component', () => {
  it('accepts a complete gateway config', () => {
    expect(checkRequirements(toml(GATEWAY_OK), 'gateway')).toEqual([]);
  });

  it.each(REQUIRED_KEYS.gateway.map((r) => r.path))('names %s when a gateway lacks it', (path) => {
    const doc = toml(GATEWAY_OK);
    const parts = path.split('.');
    let node = doc as Record<string, unknown>;
    for (const p of parts.slice(0, -1)) node = node[p] as Record<string, unknown>;
    delete node[parts.at(-1)!];
    const problems = checkRequirements(doc, 'gateway');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(path.includes('url_group') ? 'traffic_manager_urls' : tomlKeyName(path));
  });

  it('rejects url groups that have no traffic_manager_urls', () => {
    const doc = toml(GATEWAY_OK.replace('traffic_manager_urls = ["tcp://tm:9611"]', 'type = "loadbalance"'));
    expect(checkRequirements(doc, 'gateway')).toEqual([
      'missing [[apim.throttling.url_group]] traffic_manager_urls (at least one group with URLs)',
    ]);
  });

  it('needs only the event hub and the admin on a traffic manager', () => {
    expect(checkRequirements(toml('[super_admin]\nusername="a"\npassword="b"'), 'traffic-manager')).toEqual([
      'missing [apim.event_hub] service_url',
    ]);
  });

  it('accepts embedded H2 databases without url or credentials checks', () => {
    const doc = toml('[super_admin]\nusername="a"\npassword="b"\n[database.apim_db]\ntype="h2"\n[database.shared_db]\ntype="H2"');
    expect(checkRequirements(doc, 'control-plane')).toEqual([]);
  });

  it('requires both databases on control planes, key managers and all-in-one nodes', () => {
    for (const component of ['control-plane', 'key-manager', 'all-in-one'] as const) {
      expect(checkRequirements(toml('[super_admin]\nusername="a"\npassword="b"'), component)).toEqual([
        'missing [database.apim_db]',
        'missing [database.shared_db]',
      ]);
    }
  });

  it('requires a location and credentials for an external database', () => {
    const doc = toml(`
[super_admin]
username = "a"
password = "b"
[database.apim_db]
type = "postgre"
url = "jdbc:postgresql://db:5432/apim_db"
username = "apim"
[database.shared_db]
type = "postgre"
hostname = "db"
name = "shared_db"
username = "shared"
password = "x"
`);
    expect(checkRequirements(doc, 'control-plane')).toEqual(['missing [database.apim_db] password']);
  });

  it('accepts every default deployment.toml shipped in the packs for its own component', () => {
    const conf = (name: string): TomlTable => toml(readFileSync(new URL(`../../../sim/pack/conf/${name}.toml`, import.meta.url), 'utf8'));
    expect(checkRequirements(conf('all-in-one'), 'all-in-one')).toEqual([]);
    expect(checkRequirements(conf('control-plane'), 'control-plane')).toEqual([]);
    expect(checkRequirements(conf('key-manager'), 'key-manager')).toEqual([]);
    expect(checkRequirements(conf('gateway'), 'gateway')).toEqual([]);
    expect(checkRequirements(conf('traffic-manager'), 'traffic-manager')).toEqual([]);
  });
});
