import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { atInventoryLines } from '../../../src/inventory/locate.js';
import { loadInventory } from '../../../src/inventory/load.js';
import type { Inventory } from '../../../src/model/inventory.js';
import { renderInventory } from '../../../src/render/render-inventory.js';

const dir = mkdtempSync(join(tmpdir(), 'inv-toml-'));
writeFileSync(join(dir, 'x.env'), 'ADMIN_PASSWORD=pw-admin\nLDAP_PASSWORD=pw-ldap\nBAD=a${b}\n');

// Line 1 is `name`; the vars block starts on line 9, so `vars:` keys from line 10 on.
const HEAD = `name: t
pattern: 0
apim:
  version: 4.6.0
  distributions:
    all-in-one: { path: aio.zip }
  jdk: { path: j.tgz }
hosts: { a: { address: 10.0.0.1 } }
vars:
  admin_password: \${ADMIN_PASSWORD}
  database: { type: h2 }
`;
const TAIL = 'roles: { all-in-one: [a] }\n';

let n = 0;
/** HEAD + body (more of `vars:`) + TAIL: the inventory, or its issues as "file:line: path: message". */
async function load(body: string, tail = TAIL): Promise<Inventory | string[]> {
  const file = join(dir, `inv-${n++}.yaml`);
  writeFileSync(file, HEAD + body + tail);
  try {
    return await loadInventory(file, { envFile: join(dir, 'x.env'), requireArtifacts: false });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.issues.map((i) => `${i.file.split('/').pop()}:${i.line}: ${i.path}: ${i.message}`);
  }
}
const issues = async (body: string, tail?: string): Promise<string[]> => {
  const r = await load(body, tail);
  if (!Array.isArray(r)) throw new Error('expected issues, the inventory loaded');
  return r.map((i) => i.replace(/^inv-\d+\.yaml/, 'inv.yaml'));
};

describe('deployment_toml and jvm_options at validate', () => {
  it('keeps one entry per layer, lowest first, with force and replace of the same block; appends jvm_options', async () => {
    const inv = await load(`  jvm_options: ["-XX:+UseG1GC"]
  deployment_toml: { apim: { cors: { allow_credentials: true } } }
role_vars:
  all-in-one:
    jvm_options: ["-Dx=1"]
    deployment_toml: { event_listener: [{ id: a, properties: { password: "\${LDAP_PASSWORD}" } }] }
    deployment_toml_replace: [event_listener]
    deployment_toml_force: [event_listener]
`);
    if (Array.isArray(inv)) throw new Error(inv.join('\n'));
    const vars = inv.nodes[0]!.vars;
    expect(vars.jvm_options).toEqual(['-XX:+UseG1GC', '-Dx=1']);
    expect(vars.deployment_toml.map((l) => [l.at.join('.'), l.replace, l.force])).toEqual([
      ['vars.deployment_toml', [], []],
      ['role_vars.all-in-one.deployment_toml', [['event_listener']], [['event_listener']]],
    ]);
    const listener = (vars.deployment_toml[1]!.table['event_listener'] as readonly Record<string, Record<string, unknown>>[])[0]!;
    expect(String(listener['properties']!['password'])).not.toContain('pw-ldap');
    // The start command's environment and wso2.env get them as JAVA_OPTS; without jvm_options it stays unset.
    const [node] = renderInventory(inv);
    expect(node!.runtime.env['JAVA_OPTS']).toBe('-XX:+UseG1GC -Dx=1');
    const plain = await load('');
    if (Array.isArray(plain)) throw new Error(plain.join('\n'));
    expect(Object.keys(renderInventory(plain)[0]!.runtime.env)).toEqual(['JAVA_HOME', 'JVM_MEM_OPTS']);
  });

  it('a table given as a single value (or the reverse) fails the render at the inventory line of that key', async () => {
    const inv = await load(`  deployment_toml:
    apim:
      cors: "*"
`);
    if (Array.isArray(inv)) throw new Error(inv.join('\n'));
    const err = (() => {
      try {
        atInventoryLines(inv, () => renderInventory(inv));
      } catch (e) {
        return e;
      }
      throw new Error('expected the render to fail');
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).issues.map((i) => `${i.file.split('/').pop()}:${i.line}: ${i.path}: ${i.message}`)).toEqual([
      expect.stringMatching(/^inv-\d+\.yaml:14: vars\.deployment_toml\.apim\.cors: apim\.cors is a table in deployment\.toml, the inventory gives a single value; write it the way deployment\.toml holds it$/),
    ]);
  });

  it('refuses what TOML cannot hold, each at its own line', async () => {
    expect(await issues(`  deployment_toml:
    apim:
      cors: { allow_origins: null }
      cache: { expiry: .inf, big: 123456789012345678901 }
      mixed: [1, "a"]
      nested: [{ a: [null] }]
      "": 1
`)).toEqual([
      'inv.yaml:14: vars.deployment_toml.apim.cors.allow_origins: TOML has no null: give a value, or leave the key out (a key apim-deploy writes cannot be removed, only set)',
      'inv.yaml:15: vars.deployment_toml.apim.cache.expiry: Infinity is not a number WSO2 reads from deployment.toml: write a finite number',
      'inv.yaml:15: vars.deployment_toml.apim.cache.big: 123456789012345680000 is too large to keep exactly: quote it if WSO2 reads it as text',
      'inv.yaml:16: vars.deployment_toml.apim.mixed: a deployment.toml array holds one kind of value, this one mixes strings and whole numbers: quote the numbers, or split the list',
      'inv.yaml:17: vars.deployment_toml.apim.nested[0].a[0]: TOML has no null: give a value, or leave the key out (a key apim-deploy writes cannot be removed, only set)',
      'inv.yaml:18: vars.deployment_toml.apim.: an empty key names nothing in deployment.toml',
    ]);
  });

  it('refuses an owned key without force, at the key, naming what writes it', async () => {
    expect(await issues(`  deployment_toml:
    server: { offset: 2 }
    apim:
      throttling: { url_group: [{ traffic_manager_urls: ["tcp://x:9611"] }] }
      gateway: { environment: [{ name: edge }] }
`)).toEqual([
      'inv.yaml:13: vars.deployment_toml.server.offset: setting server.offset overrides what apim-deploy writes from hosts.<host>.port_offsets (server.offset): change that instead, or add server.offset to deployment_toml_force in this vars block',
      'inv.yaml:15: vars.deployment_toml.apim.throttling.url_group: appending to apim.throttling.url_group overrides what apim-deploy writes from the topology (the traffic managers) (apim.throttling.url_group): change that instead, or add apim.throttling.url_group to deployment_toml_force in this vars block',
    ]);
  });

  it('force and replace sit in the block they are for, and must name what it sets', async () => {
    expect(await issues(`  deployment_toml_force: [server.offset]
`, `role_vars:
  all-in-one:
    deployment_toml: { apim: { cors: { enable: true } }, event_listener: [{ id: x }] }
    deployment_toml_force: [server.hostname, apim.cors]
    deployment_toml_replace: [apim.cors, event_listener]
${TAIL}`)).toEqual([
      'inv.yaml:12: vars.deployment_toml_force: deployment_toml_force applies to the deployment_toml of the same vars block, and this block has none: move it next to the deployment_toml it is for',
      'inv.yaml:15: role_vars.all-in-one.deployment_toml.event_listener: replacing event_listener overrides what apim-deploy writes from the topology (token revocation to the gateways) (event_listener): change that instead, or add event_listener to deployment_toml_force in this vars block',
      'inv.yaml:16: role_vars.all-in-one.deployment_toml_force[0]: server.hostname is forced, which this block\'s deployment_toml does not set; remove it',
      'inv.yaml:16: role_vars.all-in-one.deployment_toml_force[1]: apim.cors is forced, which apim-deploy does not own: no force is needed; remove it',
      'inv.yaml:17: role_vars.all-in-one.deployment_toml_replace[0]: apim.cors is not a list of mappings (an array of tables) in this block\'s deployment_toml: only those are appended, so only those can be replaced',
    ]);
  });

  it('refuses a secret holding a WSO2 reference and a bad ${ reference, pointing at $${', async () => {
    const got = await issues(`  deployment_toml: { a: { b: "\${BAD}", c: "\${carbon.home}/x" } }
`);
    expect(got).toEqual([
      'inv.yaml:12: vars.deployment_toml.a.b: the secret holds "${", "$env{", "$ref{" or "$secret{", which WSO2 would resolve as a reference; choose another value',
      'inv.yaml:12: vars.deployment_toml.a.c: \'${carbon.home}\' is not a valid secret reference: names are letters, digits and "_" (like ${DB_PASSWORD}) (write $${ for a literal ${, as in $${carbon.home})',
    ]);
  });

  it('refuses JVM options the start script would split, glob or not pass as options', async () => {
    expect(await issues(`  jvm_options: ["-Xss1m", "Xmx1g", "-Dname=a b", "-Dglob=*", "-Dnl=a\\nb", 5]
`)).toEqual([
      'inv.yaml:12: vars.jvm_options[1]: \'Xmx1g\' is not a JVM option: options start with "-"',
      'inv.yaml:12: vars.jvm_options[2]: \'-Dname=a b\' holds a blank: the start script splits $JAVA_OPTS at blanks, so it would reach the JVM as two options',
      'inv.yaml:12: vars.jvm_options[3]: \'-Dglob=*\' holds * ? or [: the start script expands $JAVA_OPTS unquoted, so the shell would read it as a file name pattern',
      'inv.yaml:12: vars.jvm_options[4]: a JVM option must not hold a line break',
      'inv.yaml:12: vars.jvm_options[5]: expected a JVM option as a string, got the number 5',
    ]);
  });

  it('refuses JVM options that would replace the port offset or heap apim-deploy sets, each at its own layer and line', async () => {
    const got = await issues(`  jvm_options: ["-XX:+UseG1GC", "-DportOffset=3", "-Xms512m"]
`, `role_vars:
  all-in-one:
    jvm_options: ["-DportOffsetMarker=1", "-Xmx2g"]
${TAIL}`);
    expect(got).toEqual([
      'inv.yaml:12: vars.jvm_options[1]: \'-DportOffset=3\' would replace what apim-deploy sets from hosts.<host>.port_offsets ([server] offset) (the JVM takes the last of a repeated option, and jvm_options come last): set that instead',
      'inv.yaml:15: role_vars.all-in-one.jvm_options[1]: \'-Xmx2g\' would replace what apim-deploy sets from jvm_heap (the JVM takes the last of a repeated option, and jvm_options come last): set that instead',
    ]);
  });
});
