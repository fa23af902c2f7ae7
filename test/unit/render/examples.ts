import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { loadInventory } from '../../../src/inventory/load.js';
import type { Inventory, InternalPki, RoleName } from '../../../src/model/inventory.js';
import { Secret } from '../../../src/model/secret.js';
import { renderInventory, type RenderedNode } from '../../../src/render/render-inventory.js';
import type { TopologyOptions } from '../../../src/topology/context.js';

export const REPO = resolve(import.meta.dirname, '../../..');
export const EXAMPLES = [
  'pattern-0',
  'pattern-1',
  'pattern-2',
  'pattern-3',
  'pattern-4',
  'pattern-5',
  'multi-dc-active-active',
  'multi-dc-active-passive',
  'lab',
] as const;

/** A fixed internal PKI (test/fixtures/pki) in place of the one the workflows make on the controller. */
export function fixturePki(): InternalPki {
  const read = (f: string): string => readFileSync(join(REPO, 'test', 'fixtures', 'pki', f), 'utf8');
  return { caCert: read('ca.crt'), lbCert: read('lb.crt'), lbKey: new Secret(read('lb.key'), 'test/fixtures/pki/lb.key') };
}

/**
 * An example inventory, loaded the way the CLI does, with its committed `.env.example` secrets and, with a load balancer,
 * the fixture PKI. secure_vault is turned off unless `vault: true`: the lab example turns it on, and encrypting needs the
 * pack keystore out of a distribution zip that unit tests do not build (lab-vault.test.ts renders it with the vault).
 */
export async function loadExample(name: string, opts: { vault?: boolean } = {}): Promise<Inventory> {
  const file = join(REPO, 'inventories', `${name}.yaml`);
  const loaded = await loadInventory(file, { envFile: join(REPO, 'inventories', `${name}.env.example`), requireArtifacts: false });
  const inv = opts.vault ? loaded : { ...loaded, nodes: loaded.nodes.map((n) => ({ ...n, vars: { ...n.vars, secure_vault: false } })) };
  return (inv.roles['load-balancer'] ?? []).length > 0 ? { ...inv, pki: fixturePki() } : inv;
}

/** The examples with a host of one of these roles: a check about gateways runs where there are gateways. */
export async function examplesWith(...roles: RoleName[]): Promise<string[]> {
  const inventories = await Promise.all(EXAMPLES.map((e) => loadExample(e)));
  return EXAMPLES.filter((_, i) => roles.some((role) => (inventories[i]!.roles[role] ?? []).length > 0));
}

export async function renderExample(name: string, opts: TopologyOptions = {}): Promise<RenderedNode[]> {
  return renderInventory(await loadExample(name), opts);
}

/** The parsed deployment.toml of every WSO2 node, keyed `host/role`. */
export function deploymentTomls(nodes: readonly RenderedNode[]): Map<string, Record<string, any>> {
  const out = new Map<string, Record<string, any>>();
  for (const n of nodes) {
    const f = n.files.find((x) => x.dest === 'repository/conf/deployment.toml');
    if (f) out.set(`${n.host}/${n.role}`, parseToml(f.content) as Record<string, any>);
  }
  return out;
}

export function fileOf(nodes: readonly RenderedNode[], host: string, pathEnd: string): string {
  const node = nodes.find((n) => n.host === host && n.files.some((f) => f.path.endsWith(pathEnd)));
  const file = node?.files.find((f) => f.path.endsWith(pathEnd));
  if (!file) throw new Error(`no ${pathEnd} rendered for ${host}`);
  return file.content;
}
