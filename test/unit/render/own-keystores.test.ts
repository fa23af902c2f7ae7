/** Own keystores render into deployment.toml's keystore tables, land as a base64 bundle, and join the trust bundle. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadInventory } from '../../../src/inventory/load.js';
import { renderInventory, type RenderedNode } from '../../../src/render/render-inventory.js';
import { withInternalPki } from '../../../src/workflows/run/internal-pki.js';
import { makeCa, makeJks, makeLeaf, makePkcs12 } from '../../fakes/make-certs.js';

const dir = mkdtempSync(join(tmpdir(), 'render-ks-'));
let node: RenderedNode;
const file = (suffix: string) => node.files.find((f) => f.path.endsWith(suffix))!;

beforeAll(async () => {
  makeCa(dir, 'corp');
  makeLeaf(dir, 'aio', ['DNS:aio-1', 'IP:10.0.0.2'], 365, 'corp');
  makePkcs12(dir, 'aio', 'aio', 'Ks-pw-1', 'corp');
  makeJks(dir, 'aio', 'aio', 'Ks-pw-1');
  writeFileSync(join(dir, 'inv.env'), 'ADMIN_PASSWORD=pw-admin\nKS=Ks-pw-1\n');
  writeFileSync(join(dir, 'inv.yaml'), `name: t
apim: { version: 4.6.0, distributions: { all-in-one: { path: a.zip } }, jdk: { path: j.tgz } }
pattern: 0
vars:
  admin_password: \${ADMIN_PASSWORD}
  truststore: [corp.crt]
  keystores:
    primary: { file: aio.jks, alias: aio, password: "\${KS}" }
    tls: { file: aio.p12, alias: aio, password: "\${KS}" }
hosts:
  aio-1: { address: 10.0.0.2 }
roles: { all-in-one: [aio-1] }
`);
  const inv = await withInternalPki(await loadInventory(join(dir, 'inv.yaml'), { envFile: join(dir, 'inv.env'), requireArtifacts: false }));
  node = renderInventory(inv)[0]!;
}, 120_000);

describe('own keystores in the rendering', () => {
  it('points [keystore.tls] and [keystore.primary] at the installed copies, with their type, alias and passwords', () => {
    const toml = file('repository/conf/deployment.toml').content;
    const tables = toml.slice(toml.indexOf('[keystore.tls]'), toml.indexOf('[truststore]'));
    expect(tables).toBe([
      '[keystore.tls]',
      'file_name = "apim-deploy-tls.p12"',
      'type = "PKCS12"',
      'password = "Ks-pw-1"',
      'alias = "aio"',
      'key_password = "Ks-pw-1"',
      '',
      '[keystore.primary]',
      'file_name = "apim-deploy-primary.jks"',
      'type = "JKS"',
      'password = "Ks-pw-1"',
      'alias = "aio"',
      'key_password = "Ks-pw-1"',
      '',
      '',
    ].join('\n'));
    expect(file('repository/conf/deployment.toml').secret).toBe(true);
  });

  it('ships the keystores as a 0600 base64 bundle the setup decodes, marked secret', () => {
    const bundle = file('keystores.b64');
    expect(bundle).toMatchObject({ mode: '0600', secret: true, owner: 'wso2carbon' });
    expect(bundle.content).toBe([
      `apim-deploy-primary.jks ${readFileSync(join(dir, 'aio.jks')).toString('base64')}`,
      `apim-deploy-tls.p12 ${readFileSync(join(dir, 'aio.p12')).toString('base64')}`,
      '',
    ].join('\n'));
  });

  it('trusts the corporate CA and the node\'s own served certificate (no load balancer: no internal CA)', () => {
    const pem = file('apim-deploy-ca.pem').content;
    const certs = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)!.map((c) => new X509Certificate(c).subject);
    expect(certs).toEqual(['CN=Test Corporate CA corp', 'CN=aio']);
  });
});
