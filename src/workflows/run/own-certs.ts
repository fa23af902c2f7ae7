/**
 * The operator's own certificates (inventory `keystores`, `truststore`, `load_balancer_tls`), read on the controller
 * for rendering: each file once, keystores as base64 (the nodes decode them into repository/resources/security), and
 * the trust bundle every WSO2 node imports: the internal CA, the operator's CAs and each node's served certificate, so
 * peers trust each other whatever signed their keystores. validate has checked the files (src/inventory/tls-files.ts).
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '../../errors.js';
import { openKeystore, pemCertificates } from '../../files/keystore.js';
import { controllerPath } from '../../inventory/tls-files.js';
import type { Inventory } from '../../model/inventory.js';
import { Secret } from '../../model/secret.js';

export interface OwnCerts {
  /** By the path as written in the inventory. */
  readonly files: Readonly<Record<string, Secret>>;
  /** PEM certificates every WSO2 node trusts besides the internal CA (deduplicated, in inventory order). */
  readonly trusted: readonly string[];
}

/** null when the inventory names no certificate file of its own. */
export function readOwnCerts(inv: Inventory): OwnCerts | null {
  const dir = dirname(inv.file);
  const files: Record<string, Secret> = {};
  const trusted = new Map<string, string>();
  const read = (file: string): Buffer => {
    try {
      return readFileSync(controllerPath(dir, file));
    } catch (e) {
      throw new ConfigError(`${file}: ${(e as Error).message}`, [], `run: apim-deploy validate -i ${inv.file}`);
    }
  };
  const trust = (pem: string): void => {
    for (const c of pemCertificates(pem)) trusted.set(c.fingerprint256, c.toString());
  };
  for (const node of inv.nodes) {
    const v = node.vars;
    for (const file of v.truststore) trust(read(file).toString('utf8'));
    for (const which of ['primary', 'tls', 'internal'] as const) {
      const entry = v.keystores[which];
      if (!entry || files[entry.file]) continue;
      const bytes = read(entry.file);
      files[entry.file] = new Secret(bytes.toString('base64'), entry.file);
    }
    const served = v.keystores.tls ?? v.keystores.primary;
    if (served) {
      const r = openKeystore(Buffer.from(files[served.file]!.reveal(), 'base64'), served.type, served.password.reveal(), served.alias, served.key_password.reveal());
      if (!r.ok) throw new ConfigError(`${served.file}: ${r.message}`, [], `run: apim-deploy validate -i ${inv.file}`);
      trusted.set(r.entry.chain[0]!.fingerprint256, r.entry.chain[0]!.toString());
    }
    const lb = v.load_balancer_tls;
    if (lb && !files[lb.certificate]) {
      files[lb.certificate] = new Secret(read(lb.certificate).toString('utf8'), lb.certificate);
      files[lb.key] = new Secret(read(lb.key).toString('utf8'), lb.key);
      // Nodes call the balancer: they trust its certificate even when its issuer is not in `truststore`.
      trust(files[lb.certificate]!.reveal());
    }
  }
  return Object.keys(files).length === 0 && trusted.size === 0 ? null : { files, trusted: [...trusted.values()] };
}
