import type { RoleCatalog } from '../catalog/roles.js';
import { databasesAt, isWso2Role } from '../catalog/variants.js';
import type { DatabaseClient, HostName, Inventory, NodeSpec } from '../model/inventory.js';
import { inventoryAtVersion } from './at-version.js';

export interface GreenInventoryInput {
  readonly blue: Inventory;
  readonly catalog: RoleCatalog;
  readonly to: string;
  /** Blue database name → its green copy (planner/migration/versions.ts greenDatabaseName). */
  readonly databases: ReadonlyMap<string, string>;
}

/**
 * Green as an inventory of its own, for `migrate`'s provision-green and verify-green: the inventory as written, with
 * each blue WSO2 host replaced by its `green:` partner (name and address; the login is blue's), `apim.version` the
 * target, and every WSO2 node on the green copies of the databases. The database host and the balancers stay (the
 * same server holds the green databases; the balancers are planned only when traffic switches), and blue's WSO2
 * hosts keep their database grants beside green's (`retainedDatabaseClients`). Pure.
 */
export function greenInventory({ blue, catalog, to, databases }: GreenInventoryInput): Inventory {
  const partner = new Map((blue.green ?? []).map((g) => [g.blue, g]));
  const rename = (h: HostName): HostName => partner.get(h)?.name ?? h;
  const renameAll = <K extends string>(roles: Readonly<Partial<Record<K, readonly HostName[]>>>): Partial<Record<K, readonly HostName[]>> =>
    Object.fromEntries(Object.entries<readonly HostName[] | undefined>(roles).map(([r, hs]) => [r, (hs ?? []).map(rename)])) as unknown as Partial<Record<K, readonly HostName[]>>;
  const hosts = blue.hosts.map((h) => {
    const g = partner.get(h.name);
    return g ? { ...h, name: g.name, address: g.address, pos: g.pos } : h;
  });
  const green = (name: string): string => databases.get(name) ?? name;
  const nodes: NodeSpec[] = blue.nodes.map((n) => {
    if (!partner.has(n.host) || !isWso2Role(catalog[n.role])) return n;
    const db = n.vars.database;
    return { ...n, host: rename(n.host), vars: { ...n.vars, database: { ...db, apim_db: green(db.apim_db), shared_db: green(db.shared_db) } } };
  });
  const retained = partnerClients(blue, catalog, blue.apim.version, (n) => blue.hosts.find((h) => h.name === n.host)?.address, (d) => d);
  const moved = inventoryAtVersion(blue, to);
  return {
    ...moved,
    hosts, nodes,
    roles: renameAll(blue.roles),
    datacenters: blue.datacenters.map((d) => ({ ...d, roles: renameAll(d.roles) })),
    green: [],
    retainedDatabaseClients: retained,
  };
}

/**
 * Green's WSO2 partners as clients of blue's database server, on the green copies: what blue's inventory grants them
 * while a migration is open (src/workflows/migrate/traffic.ts), so a plain `provision` of blue renders the database
 * host as green's own run does and never takes green's grants away.
 */
export function greenDatabaseClients({ blue, catalog, to, databases }: GreenInventoryInput): DatabaseClient[] {
  const partner = new Map((blue.green ?? []).map((g) => [g.blue, g.address]));
  return partnerClients(blue, catalog, to, (n) => partner.get(n.host), (d) => databases.get(d) ?? d);
}

/** One client per WSO2 node on a partnered host that opens the databases at `version`: its address, its databases named. */
function partnerClients(blue: Inventory, catalog: RoleCatalog, version: string, address: (n: NodeSpec) => string | undefined,
  name: (database: string) => string): DatabaseClient[] {
  const partnered = new Set((blue.green ?? []).map((g) => g.blue));
  return blue.nodes.flatMap((n) => {
    const at = partnered.has(n.host) && databasesAt(catalog[n.role], version).length > 0 ? address(n) : undefined;
    return at ? [{ address: at, databases: [name(n.vars.database.apim_db), name(n.vars.database.shared_db)] }] : [];
  });
}
