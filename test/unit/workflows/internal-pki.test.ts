import { X509Certificate } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Inventory } from '../../../src/model/inventory.js';
import { balancerNames, pkiDir, withInternalPki } from '../../../src/workflows/run/internal-pki.js';
import { loadExample } from '../render/examples.js';

const dir = mkdtempSync(join(tmpdir(), 'pki-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The example, as if its file lived in a scratch directory (the PKI goes beside the inventory). */
async function scratch(name: string): Promise<Inventory> {
  const inv = await loadExample(name);
  const { pki: _fixture, ...bare } = inv;
  copyFileSync(inv.file, join(dir, `${name}.yaml`));
  return { ...bare, file: join(dir, `${name}.yaml`) };
}

describe('the internal PKI on the controller', () => {
  it('names every balancer address, host name and public hostname', async () => {
    expect(balancerNames(await scratch('pattern-3'))).toEqual(expect.arrayContaining(['lb-1']));
    const lab = await scratch('lab');
    expect(balancerNames(lab)).toContain(lab.hosts.find((h) => h.name === 'lb-1')!.address);
  });

  it('makes a CA once and a balancer certificate it signed, naming the balancer; keys are 0600', async () => {
    const inv = await scratch('lab');
    const first = await withInternalPki(inv);
    const ca = new X509Certificate(first.pki!.caCert);
    const lb = new X509Certificate(first.pki!.lbCert);
    expect(ca.ca).toBe(true);
    expect(lb.checkIssued(ca)).toBe(true);
    expect(lb.verify(ca.publicKey)).toBe(true);
    expect(lb.subjectAltName).toContain(`IP Address:${inv.hosts.find((h) => h.name === 'lb-1')!.address}`);
    expect(String(first.pki!.lbKey)).toBe('***');
    for (const key of ['ca.key', 'lb.key']) expect(statSync(join(pkiDir(inv), key)).mode & 0o777).toBe(0o600);

    const again = await withInternalPki(inv);
    expect(again.pki!.caCert).toBe(first.pki!.caCert);
    expect(again.pki!.lbCert).toBe(first.pki!.lbCert);
  });

  it('issues the balancer certificate again, from the same CA, when the balancer names change', async () => {
    const inv = await scratch('lab');
    const before = await withInternalPki(inv);
    const renamed: Inventory = { ...inv, hosts: inv.hosts.map((h) => (h.name === 'lb-1' ? { ...h, address: '10.213.7.99' } : h)) };
    const after = await withInternalPki(renamed);
    expect(after.pki!.caCert).toBe(before.pki!.caCert);
    expect(after.pki!.lbCert).not.toBe(before.pki!.lbCert);
    expect(new X509Certificate(after.pki!.lbCert).subjectAltName).toContain('IP Address:10.213.7.99');
    expect(readFileSync(join(pkiDir(inv), 'lb.names'), 'utf8')).toContain('10.213.7.99');
  });

  it('leaves an inventory without a load balancer as it is', async () => {
    const inv = await scratch('pattern-0');
    expect(await withInternalPki(inv)).toBe(inv);
  });
});
