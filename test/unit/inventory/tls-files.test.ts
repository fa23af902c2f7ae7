/** Own keystores, CAs and balancer certificates are opened at validate, each problem at its file:line. */
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, formatIssue } from '../../../src/errors.js';
import { loadInventory } from '../../../src/inventory/load.js';
import { nodeOf } from '../../../src/model/inventory.js';
import { makeCa, makeJks, makeLeaf, makePkcs12 } from '../../fakes/make-certs.js';
import { writtenInventories } from './written-inventory.js';

const dir = mkdtempSync(join(tmpdir(), 'inv-tls-'));
writeFileSync(join(dir, 'x.env'), 'ADMIN_PASSWORD=pw-admin\nKS_PASSWORD=ks-secret-1\nBAD_PASSWORD=nope\n');

beforeAll(() => {
  makeCa(dir);
  makeLeaf(dir, 'gw', ['DNS:gw-1', 'IP:10.0.0.2'], 365);
  makePkcs12(dir, 'gw', 'gw', 'ks-secret-1');
  makeJks(dir, 'gw', 'gw', 'ks-secret-1');
  makeLeaf(dir, 'soon', ['DNS:elsewhere.example'], 10);
  makePkcs12(dir, 'soon', 'soon', 'ks-secret-1');
  makeLeaf(dir, 'lb', ['DNS:lb-1'], 365);
  makeLeaf(dir, 'other', ['DNS:lb-1'], 365);
  copyFileSync(join(dir, 'other.key'), join(dir, 'wrong.key'));
}, 120_000);

const HEAD = `name: t
apim: { version: 4.6.0, distributions: { all-in-one: { path: a.zip } }, jdk: { path: j.tgz } }
pattern: 0
vars:
  admin_password: \${ADMIN_PASSWORD}
`;
const { load, issues } = writtenInventories(dir, HEAD);
const HOSTS = 'hosts:\n  gw-1: { address: 10.0.0.2 }\nroles: { all-in-one: [gw-1] }\n';

describe('own keystores at validate', () => {
  it('accepts a PKCS12 and a JKS keystore that open, resolved per node (host over vars)', async () => {
    const inv = await load(`  keystores: { primary: { file: gw.p12, alias: gw, password: "\${KS_PASSWORD}" } }
hosts:
  gw-1: { address: 10.0.0.2, vars: { keystores: { tls: { file: gw.jks, type: JKS, alias: GW, password: "\${KS_PASSWORD}" } } } }
roles: { all-in-one: [gw-1] }
`);
    const v = nodeOf(inv, { host: 'gw-1', role: 'all-in-one' }).vars;
    expect(v.keystores.primary).toMatchObject({ file: 'gw.p12', type: 'PKCS12', alias: 'gw' });
    expect(v.keystores.tls).toMatchObject({ file: 'gw.jks', type: 'JKS', alias: 'GW' });
    expect(v.keystores.primary!.password.reveal()).toBe('ks-secret-1');
    expect(inv.warnings).toEqual([]);
  });

  it('refuses a missing file, a wrong password, an unknown alias and a clear-text password, each at its line', async () => {
    expect(await issues(`  keystores:
    primary: { file: nothere.p12, alias: gw, password: "\${KS_PASSWORD}" }
    tls: { file: gw.p12, alias: gw, password: "\${BAD_PASSWORD}" }
    internal: { file: gw.jks, alias: nobody, password: "\${KS_PASSWORD}" }
${HOSTS}`)).toEqual([
      'inv.yaml:7:22: vars.keystores.primary.file: nothere.p12 does not exist',
      'inv.yaml:8:47: vars.keystores.tls.password: tls keystore gw.p12: PKCS#12 MAC could not be verified. Invalid password?',
      'inv.yaml:9:38: vars.keystores.internal.alias: internal keystore gw.jks: no alias "nobody"; it holds "gw"',
    ]);
    expect(await issues(`  keystores: { tls: { file: gw.p12, alias: gw, password: ks-secret-1 } }\n${HOSTS}`)).toEqual([
      'inv.yaml:6:58: vars.keystores.tls.password: write a ${NAME} reference to the dotenv file: keystore passwords are never kept in the inventory',
    ]);
  });

  it('refuses a JKS file declared as PKCS12 with a hint, and a certificate file without a certificate', async () => {
    expect(await issues(`  keystores: { tls: { file: gw.jks, type: PKCS12, alias: gw, password: "\${KS_PASSWORD}" } }
  truststore: [gw.key]
${HOSTS}`)).toEqual([
      expect.stringMatching(/^inv\.yaml:6:29: vars\.keystores\.tls\.file: tls keystore gw\.jks: .* \(is it a PKCS12 keystore\? set type: JKS if not\)$/),
      'inv.yaml:7:16: vars.truststore[0]: gw.key holds no PEM certificate (-----BEGIN CERTIFICATE-----)',
    ]);
  });

  it('warns of a served certificate expiring within 30 days that does not name the node', async () => {
    const inv = await load(`  keystores: { tls: { file: soon.p12, alias: soon, password: "\${KS_PASSWORD}" } }\n${HOSTS}`);
    expect(inv.warnings.map((w) => `${w.line}: ${w.message}`)).toEqual([
      expect.stringMatching(/^6: tls keystore soon\.p12 \(alias soon\) certificate expires on \d{4}-\d\d-\d\d, in (9|10) day\(s\)$/),
      '6: tls keystore soon.p12 (alias soon) certificate names none of gw-1, 10.0.0.2 (its names: DNS:elsewhere.example)',
    ]);
  });
});

describe('the balancer certificate at validate', () => {
  let written = 0;
  const pattern1 = (tls: string): string => {
    const file = join(dir, `p1-${written++}.yaml`);
    writeFileSync(file, `name: t
apim: { version: 4.6.0, distributions: { all-in-one: { path: a.zip } }, jdk: { path: j.tgz }, jdbc_driver: { path: d.jar } }
pattern: 1
vars:
  admin_password: \${ADMIN_PASSWORD}
  database: { type: postgresql, user: apim, password: "\${KS_PASSWORD}" }
  load_balancer_tls: ${tls}
hosts:
  lb-1: { address: 10.0.0.9 }
  aio-1: { address: 10.0.0.2 }
  aio-2: { address: 10.0.0.3 }
  db-1: { address: 10.0.0.4 }
roles: { load-balancer: [lb-1], all-in-one: [aio-1, aio-2], database: [db-1] }
`);
    return file;
  };
  const opts = { envFile: join(dir, 'x.env'), requireArtifacts: false };

  it('accepts a certificate with its key, and refuses the key of another certificate', async () => {
    const ok = await loadInventory(pattern1('{ certificate: lb.crt, key: lb.key }'), opts);
    expect(nodeOf(ok, { host: 'lb-1', role: 'load-balancer' }).vars.load_balancer_tls).toEqual({ certificate: 'lb.crt', key: 'lb.key' });
    expect(ok.warnings).toEqual([]);
    const err = await loadInventory(pattern1('{ certificate: lb.crt, key: wrong.key }'), opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).issues.map((i) => formatIssue({ ...i, file: 'inv.yaml' }))).toEqual([
      'inv.yaml:7:50: vars.load_balancer_tls.key: wrong.key is not the key of the certificate in lb.crt',
    ]);
  });
});
