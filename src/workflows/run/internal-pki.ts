/**
 * The deployment's internal CA, kept on the controller beside the inventory (`.apim-deploy/<name>/pki/`, private keys
 * 0600): made once with openssl, it signs the load balancer's certificate, which is issued again when the balancer's
 * names change. WSO2 nodes import the CA into their client-truststore.jks (role.yaml setup `<role>-trusts-internal-ca`):
 * Carbon's HTTP clients check the balancer against that truststore (findings i10 §6, sim/rules/README.md).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { ConfigError } from '../../errors.js';
import type { Inventory } from '../../model/inventory.js';
import { Secret } from '../../model/secret.js';
import { readOwnCerts } from './own-certs.js';

const run = promisify(execFile);

export const pkiDir = (inv: Inventory): string => join(dirname(inv.file), '.apim-deploy', inv.name, 'pki');

/** Every name a client may use for a balancer: its host names and addresses, and the public hostnames. */
export function balancerNames(inv: Inventory): string[] {
  const names = new Set<string>();
  const lbs = new Set(inv.roles['load-balancer'] ?? []);
  for (const host of inv.hosts.filter((h) => lbs.has(h.name))) {
    names.add(host.address);
    names.add(host.name);
  }
  for (const node of inv.nodes) {
    for (const name of Object.values(node.vars.public_hostname)) if (name) names.add(name);
  }
  return [...names].filter((n) => /^[A-Za-z0-9.:*-]+$/.test(n)).sort();
}

const san = (names: readonly string[]): string => names.map((n) => (isIP(n) ? `IP:${n}` : `DNS:${n}`)).join(',');

async function openssl(args: readonly string[], dir: string): Promise<void> {
  try {
    await run('openssl', [...args], { cwd: dir });
  } catch (e) {
    const err = e as { code?: string; stderr?: string; message: string };
    throw new ConfigError(`openssl ${args[0]} in ${dir}: ${err.code === 'ENOENT' ? 'openssl not found' : (err.stderr ?? err.message).trim()}`, [],
      'install openssl on the controller (apt-get install openssl)');
  }
}

async function ensureCa(dir: string, inv: Inventory): Promise<void> {
  if (existsSync(join(dir, 'ca.crt')) && existsSync(join(dir, 'ca.key'))) return;
  await openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '3650',
    '-subj', `/CN=apim-deploy internal CA ${inv.name}`, '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  chmodSync(join(dir, 'ca.key'), 0o600);
}

async function ensureBalancerCert(dir: string, names: readonly string[]): Promise<void> {
  const wanted = `${names.join('\n')}\n`;
  const namesFile = join(dir, 'lb.names');
  if (existsSync(join(dir, 'lb.crt')) && existsSync(namesFile) && readFileSync(namesFile, 'utf8') === wanted) return;
  writeFileSync(join(dir, 'lb.ext'), `subjectAltName=${san(names)}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`);
  await openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'lb.key', '-out', 'lb.csr', '-subj', `/CN=${names[0] ?? 'load-balancer'}`], dir);
  chmodSync(join(dir, 'lb.key'), 0o600);
  await openssl(['x509', '-req', '-in', 'lb.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', `0x${randomBytes(12).toString('hex')}`,
    '-days', '825', '-extfile', 'lb.ext', '-out', 'lb.crt'], dir);
  writeFileSync(namesFile, wanted);
}

/**
 * The inventory with its internal PKI (made or refreshed on the controller when it has a load balancer) and the
 * operator's own certificates (own-certs.ts); unchanged when it has neither.
 */
export async function withInternalPki(inv: Inventory): Promise<Inventory> {
  const own = readOwnCerts(inv);
  if ((inv.roles['load-balancer'] ?? []).length === 0) {
    return own ? { ...inv, pki: { caCert: '', lbCert: '', lbKey: new Secret('', 'no load balancer'), trusted: own.trusted.join(''), files: own.files } } : inv;
  }
  const dir = pkiDir(inv);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  await ensureCa(dir, inv);
  await ensureBalancerCert(dir, balancerNames(inv));
  const read = (f: string): string => readFileSync(join(dir, f), 'utf8');
  const pki = { caCert: read('ca.crt'), lbCert: read('lb.crt'), lbKey: new Secret(read('lb.key'), join(dir, 'lb.key')) };
  return { ...inv, pki: own ? { ...pki, trusted: [pki.caCert, ...own.trusted].join(''), files: own.files } : pki };
}
