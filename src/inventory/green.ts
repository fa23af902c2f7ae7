import type { RoleCatalog } from '../catalog/roles.js';
import { isWso2Role } from '../catalog/variants.js';
import { didYouMean } from '../model/did-you-mean.js';

import type { GreenHost, RoleName } from '../model/inventory.js';
import { quoted } from '../yaml/shown.js';
import type { YamlSource } from '../yaml/source.js';
import type { HostDraft } from './hosts.js';
import { ADDRESS, HOST_NAME, normalizeAddress } from './names.js';
import type { WrittenInventory } from './schema.js';

export interface GreenInput {
  readonly w: WrittenInventory;
  readonly src: YamlSource;
  readonly catalog: RoleCatalog;
  readonly hosts: ReadonlyMap<string, HostDraft>;
  readonly hostRoles: ReadonlyMap<string, readonly RoleName[]>;
}

/**
 * `green:` normalised: one partner per blue host that runs WSO2 roles, and only those. The database and the
 * balancers are not duplicated: green databases live on the same database server under new names, and the same
 * balancers switch from blue to green. Issues go to `src` at file:line.
 */
export function readGreenHosts({ w, src, catalog, hosts, hostRoles }: GreenInput): readonly GreenHost[] {
  if (w.green === undefined) return [];
  const wso2Hosts = [...hosts.keys()].filter((h) => (hostRoles.get(h) ?? []).some((r) => isWso2Role(catalog[r])));
  const names = new Map<string, string>();
  const addresses = new Map([...hosts.values()].map((h) => [h.address.toLowerCase(), `host '${h.name}'`]));
  const out: GreenHost[] = [];
  for (const [blue, g] of Object.entries(w.green)) {
    const at = ['green', blue];
    const roles = hostRoles.get(blue) ?? [];
    if (!hosts.has(blue)) {
      src.add(at, `unknown host ${quoted(blue)}${didYouMean(blue, wso2Hosts)}: green partners are for the hosts that run WSO2 roles (${wso2Hosts.join(', ')})`, 'key');
      continue;
    }
    const other = roles.filter((r) => !isWso2Role(catalog[r]));
    if (other.length > 0 || roles.length === 0) {
      src.add(at, `host '${blue}' plays ${roles.length === 0 ? 'no role' : other.join(', ')}: green needs no partner for it (the database server holds the green databases, the same balancers switch)`, 'key');
      continue;
    }
    const name = g.name ?? `${blue}-green`;
    if (!HOST_NAME.test(name)) src.add([...at, ...(g.name === undefined ? [] : ['name'])], `green host name ${quoted(name)} is not allowed: use ${HOST_NAME.expected}`);
    const taken = hosts.has(name) ? `host '${name}'` : names.get(name);
    if (taken) src.add([...at, 'name'], `green host name '${name}' is already ${taken.startsWith('host') ? 'an inventory host' : `the partner of '${taken}'`}: give each green host its own name`);
    names.set(name, blue);
    const address = ADDRESS.test(g.address) ? normalizeAddress(g.address) : g.address;
    if (!ADDRESS.test(address)) {
      src.add([...at, 'address'], `${quoted(address)} is not a valid address: use ${ADDRESS.expected}`);
      continue;
    }
    const owner = addresses.get(address.toLowerCase());
    if (owner) src.add([...at, 'address'], `address ${address} is taken by ${owner}: green runs on other machines than blue (see docs/migrate.md)`);
    addresses.set(address.toLowerCase(), `green host '${name}'`);
    out.push({ blue, name, address, pos: src.pos(at, 'key') });
  }
  const missing = wso2Hosts.filter((h) => w.green![h] === undefined);
  if (missing.length > 0) src.add(['green'], `every host that runs WSO2 roles needs a green partner; missing: ${missing.join(', ')}`, 'key');
  return out;
}
