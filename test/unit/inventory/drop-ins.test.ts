/** `files:` drop-ins: shape and path checks with file:line, merging by destination across layers, the rules at validate. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeOf } from '../../../src/model/inventory.js';
import { writtenInventories } from './written-inventory.js';

const dir = mkdtempSync(join(tmpdir(), 'inv-dropins-'));
writeFileSync(join(dir, 'x.env'), 'ADMIN_PASSWORD=pw-admin\nDB_PASSWORD=pw-db\n');
mkdirSync(join(dir, 'files'));
writeFileSync(join(dir, 'files', 'a.jar'), 'PK');
writeFileSync(join(dir, 'files', 'log4j2.properties.eta'), '# <%= it.host %>\n');
mkdirSync(join(dir, 'files', 'adir'));

const HEAD = `name: t
pattern: 2
apim: { version: 4.6.0, distributions: { acp: { path: a.zip }, universal-gw: { path: g.zip }, all-in-one: { path: w.zip } }, jdk: { path: j.tgz }, jdbc_driver: { path: d.jar } }
roles: { all-in-one: [aio-1], gateway: [gw-1, gw-2], load-balancer: [lb-1], database: [db-1] }
`;
const HOSTS = `hosts:
  aio-1: { address: 10.0.0.1 }
  gw-1: { address: 10.0.0.2 }
  gw-2: { address: 10.0.0.3 }
  lb-1: { address: 10.0.0.4 }
  db-1: { address: 10.0.0.5 }
`;
const VARS = `vars:
  admin_password: \${ADMIN_PASSWORD}
  database: { type: postgresql, host: db-1, user: apim, password: "\${DB_PASSWORD}" }
`;

const { load, issues } = writtenInventories(dir, HEAD);
/** The vars block (lines 5-7) then `files:` at line 8, each entry on its own line from line 9. */
const withFiles = (...entries: string[]) => `${VARS}  files:\n${entries.map((e) => `    - ${e}\n`).join('')}${HOSTS}`;

describe('files: drop-ins at validate', () => {
  it('resolve per node: vars, role_vars and host layers merge by destination, the later layer wins', async () => {
    const inv = await load(`${VARS}  files:
    - { src: files/a.jar, dest: repository/components/dropins/ }
    - { src: files/log4j2.properties.eta, dest: repository/conf/log4j2.properties, template: true }
role_vars:
  gateway: { files: [{ src: files/a.jar, dest: repository/components/lib/x.jar, mode: "0640", owner: "wso2carbon:wso2" }] }
hosts:
  aio-1: { address: 10.0.0.1 }
  gw-1: { address: 10.0.0.2 }
  gw-2: { address: 10.0.0.3, vars: { files: [{ src: files/a.jar, dest: repository/conf/log4j2.properties }] } }
  lb-1: { address: 10.0.0.4 }
  db-1: { address: 10.0.0.5 }
`);
    const files = (host: string, role: 'gateway' | 'all-in-one') => nodeOf(inv, { host, role }).vars.files.map((f) => `${f.root}:${f.dest} ${f.mode} ${f.owner ?? '-'} ${f.template ? 'template' : 'verbatim'}`);
    expect(files('aio-1', 'all-in-one')).toEqual(['release:repository/components/dropins/a.jar 0644 - verbatim', 'release:repository/conf/log4j2.properties 0644 - template']);
    expect(files('gw-1', 'gateway')).toEqual([
      'release:repository/components/dropins/a.jar 0644 - verbatim', 'release:repository/conf/log4j2.properties 0644 - template', 'release:repository/components/lib/x.jar 0640 wso2carbon:wso2 verbatim',
    ]);
    expect(files('gw-2', 'gateway')[1]).toBe('release:repository/conf/log4j2.properties 0644 - verbatim');
    expect(nodeOf(inv, { host: 'gw-1', role: 'gateway' }).vars.files[0]!.src).toBe(join(dir, 'files', 'a.jar'));
  });

  it('report bad shapes, modes, owners and roots with file:line', async () => {
    expect(await issues(withFiles(
      '{ src: files/a.jar }',
      '{ src: files/a.jar, dest: x.jar, mode: 0644 }',
      '{ src: files/a.jar, dest: y.jar, mode: "0999", owner: "Root" }',
      '{ src: files/a.jar, dest: z.jar, dest_root: relase, template: yes }',
      '{ src: files/a.jar, dest: w.jar, size: 3 }',
    ))).toEqual([
      'inv.yaml:9:7: vars.files[0]: missing dest (where it goes on the node)',
      'inv.yaml:10:46: vars.files[1].mode: quote the mode ("0644"): YAML reads an unquoted 0644 as a decimal number',
      "inv.yaml:11:46: vars.files[2].mode: expected an octal mode like \"0644\", got the string '0999'",
      "inv.yaml:11:61: vars.files[2].owner: expected user or user:group (a Unix user/group name: lower-case letters, digits, \"_\" and \"-\"), got the string 'Root'",
      "inv.yaml:12:51: vars.files[3].dest_root: must be one of release, data, absolute, got 'relase' (did you mean 'release'?)",
      "inv.yaml:12:69: vars.files[3].template: expected true or false, got the string 'yes'",
      "inv.yaml:13:40: vars.files[4].size: unknown key 'size'; allowed here: src, dest, dest_root, mode, owner, template",
    ]);
  });

  it('refuse a dest that leaves its root, or an absolute path without dest_root: absolute', async () => {
    expect(await issues(withFiles(
      '{ src: files/a.jar, dest: ../../etc/cron.d/x }',
      '{ src: files/a.jar, dest: repository/../../x.jar }',
      '{ src: files/a.jar, dest: /etc/x.conf }',
      '{ src: files/a.jar, dest: etc/x.conf, dest_root: absolute }',
      '{ src: files/a.jar, dest: /opt/wso2/gateway/current/x.jar, dest_root: absolute }',
      '{ src: files/a.jar, dest: /var/lib/apim-deploy/pending/gateway.restart, dest_root: absolute }',
    ))).toEqual([
      'inv.yaml:9:33: vars.files[0].dest: must not contain ".." (it would leave its release dir)',
      'inv.yaml:10:33: vars.files[1].dest: must not contain ".." (it would leave its release dir)',
      'inv.yaml:11:33: vars.files[2].dest: an absolute dest needs dest_root: absolute (this one is relative to the release dir)',
      'inv.yaml:12:33: vars.files[3].dest: dest_root absolute needs an absolute dest (starting with /)',
      'inv.yaml:13:33: vars.files[4].dest: /opt/wso2/gateway/current/x.jar is inside /opt/wso2, which apim-deploy manages: use dest_root: release or data',
      'inv.yaml:14:33: vars.files[5].dest: /var/lib/apim-deploy/pending/gateway.restart is inside /var/lib/apim-deploy, which apim-deploy manages: use dest_root: release or data',
    ]);
  });

  it('check the controller file, persistent dirs, files apim-deploy renders, and roles without WSO2', async () => {
    expect(await issues(`${VARS}  files:
    - { src: files/missing.jar, dest: repository/components/dropins/ }
    - { src: files/adir, dest: repository/conf/adir }
    - { src: files/a.jar, dest: repository/deployment/server/userstores/x.xml }
    - { src: files/a.jar, dest: repository/conf/deployment.toml }
    - { src: files/a.jar, dest: repository/resources/security/apim-deploy-ca.pem }
    - { src: files/a.jar, dest: repository/components/dropins/x.jar }
    - { src: files/a.jar, dest: repository/components/dropins/x.jar }
role_vars:
  load-balancer: { files: [{ src: files/a.jar, dest: /etc/nginx/x.jar, dest_root: absolute }] }
${HOSTS}`)).toEqual([
      'inv.yaml:15:33: vars.files[6].dest: repository/components/dropins/x.jar is already the dest of entry 6 in this list',
      `inv.yaml:9:14: vars.files[0].src: file not found: ${join(dir, 'files', 'missing.jar')}`,
      `inv.yaml:10:14: vars.files[1].src: ${join(dir, 'files', 'adir')} is not a regular file`,
      "inv.yaml:11:33: vars.files[2].dest: repository/deployment/server/userstores is the node's persistent data, linked into each release: use dest_root: data (same dest) so it is kept across upgrades",
      'inv.yaml:12:33: vars.files[3].dest: repository/conf/deployment.toml is rendered by apim-deploy (all-in-one/deployment.toml.eta) on all-in-one nodes: a drop-in may not replace it (change its keys with deployment_toml:)',
      'inv.yaml:13:33: vars.files[4].dest: repository/resources/security/apim-deploy-ca.pem is rendered by apim-deploy (common/internal-ca.pem.eta) on all-in-one nodes: a drop-in may not replace it',
      'inv.yaml:17:28: role_vars.load-balancer.files[0]: load-balancer runs no WSO2 server: files are placed on WSO2 nodes only',
    ]);
  });
});
