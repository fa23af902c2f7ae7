/**
 * Bring-your-own certificates on a lab pattern 0 (one all-in-one node behind a balancer, H2), through the real CLI:
 * the node's [keystore.tls] is a PKCS12 keystore signed by a test "corporate CA" (made here with openssl; the
 * controller opens it without Java), the balancer serves the operator's certificate, the node trusts the corporate
 * CA, and `status` shows the expiry dates, with a warning for the node's certificate that expires within 30 days.
 */
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeCa, makeLeaf, makePkcs12 } from '../fakes/make-certs.js';
import { baseVars, failureSummary, provisionCli, runCli, useLab, type DeploymentFiles } from './support/index.js';

const run = promisify(execFile);
const NAMES = ['aio-1', 'lb-1'];
const lab = useLab({ workspace: 'apim-own-certs', lab: { name: 't-i12c', names: NAMES, subnet: '10.213.164.0/24' } });
let files: DeploymentFiles;

/** The leaf certificate `openssl s_client` receives from address:port (SNI `name`), as an X509Certificate. */
async function servedCertificate(address: string, port: number, name: string): Promise<X509Certificate> {
  const { stdout } = await run('sh', ['-c', 'openssl s_client -connect "$1" -servername "$2" </dev/null 2>/dev/null', 'sh', `${address}:${port}`, name], { timeout: 60_000 });
  const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(stdout)?.[0];
  if (!pem) throw new Error(`no certificate from ${address}:${port}: ${stdout.slice(0, 400)}`);
  return new X509Certificate(pem);
}

beforeAll(async () => {
  const dir = lab.ws.dir;
  makeCa(dir, 'corp-ca');
  // 20 days: status warns (< 30 days).
  makeLeaf(dir, 'aio', ['DNS:aio-1', `IP:${lab.address('aio-1')}`], 20, 'corp-ca');
  makePkcs12(dir, 'aio', 'aio-tls', 'Own-ks-pw1', 'corp-ca');
  makeLeaf(dir, 'lb', ['DNS:lb-1', `IP:${lab.address('lb-1')}`], 200, 'corp-ca');
  files = lab.deploy({
    name: 'own-certs', pattern: 0,
    hosts: {
      'aio-1': { keystores: { tls: { file: 'aio.p12', type: 'PKCS12', alias: 'aio-tls', password: '${AIO_KS_PASSWORD}' } } },
      'lb-1': { load_balancer_tls: { certificate: 'lb.crt', key: 'lb.key' } },
    },
    roles: { 'all-in-one': ['aio-1'], 'load-balancer': ['lb-1'] },
    vars: { ...baseVars({ type: 'h2' }), truststore: ['corp-ca.crt'] },
    secrets: { AIO_KS_PASSWORD: 'Own-ks-pw1' },
  });
  const validate = await runCli(['validate', '-i', files.inventory]);
  expect(validate.code, validate.stdout + validate.stderr).toBe(0);
  const provision = await provisionCli(files.inventory);
  expect(provision.code, failureSummary(provision)).toBe(0);
}, 600_000);

describe('own certificates on a lab pattern 0', () => {
  it('the node serves its own keystore on 9443 and 8243', async () => {
    const own = new X509Certificate(readFileSync(join(lab.ws.dir, 'aio.crt')));
    for (const port of [9443, 8243]) {
      const served = await servedCertificate(lab.address('aio-1'), port, 'aio-1');
      expect(served.fingerprint256, `port ${port}`).toBe(own.fingerprint256);
      expect(served.issuer).toContain('Test Corporate CA corp-ca');
    }
  }, 120_000);

  it('the balancer serves the operator\'s certificate', async () => {
    const own = new X509Certificate(readFileSync(join(lab.ws.dir, 'lb.crt')));
    const served = await servedCertificate(lab.address('lb-1'), 443, 'lb-1');
    expect(served.fingerprint256).toBe(own.fingerprint256);
  }, 120_000);

  it('the node trusts the corporate CA (client-truststore.jks)', async () => {
    const ca = new X509Certificate(readFileSync(join(lab.ws.dir, 'corp-ca.crt')));
    const list = await lab.sh('aio-1', '/opt/wso2/jdk/current/bin/keytool -list -keystore /opt/wso2/all-in-one/current/repository/resources/security/client-truststore.jks -storepass wso2carbon');
    expect(list.toUpperCase()).toContain(ca.fingerprint256.toUpperCase());
  }, 120_000);

  it('status shows the expiry dates and warns of the node certificate expiring within 30 days', async () => {
    const r = await runCli(['status', '-i', files.inventory, '--json']);
    const report = JSON.parse(r.stdout) as { nodes: { host: string; certificates: { what: string; notAfter: string; level: string; daysLeft: number }[] }[] };
    const aio = report.nodes.find((n) => n.host === 'aio-1')!;
    const notAfter = new Date(new X509Certificate(readFileSync(join(lab.ws.dir, 'aio.crt'))).validTo).toISOString().slice(0, 10);
    expect(aio.certificates).toEqual([expect.objectContaining({ what: 'tls keystore aio.p12 (alias aio-tls)', notAfter, level: 'warning' })]);
    const lb = report.nodes.find((n) => n.host === 'lb-1')!;
    expect(lb.certificates).toEqual([expect.objectContaining({ what: 'balancer certificate', level: 'ok' })]);
    expect(r.code, r.stdout).toBe(0);
    const plain = await runCli(['status', '-i', files.inventory]);
    expect(plain.stdout).toMatch(new RegExp(`aio-1/all-in-one\\s+tls keystore aio\\.p12 \\(alias aio-tls\\)\\s+expires ${notAfter}\\s+WARNING: (19|20) day\\(s\\) left`));
  }, 120_000);
});
