/**
 * The inventory after `migrate --finish`: the one as written, with every blue WSO2 host replaced by its green
 * partner (the host's key and address; its login and other fields stay, as the partner logs in as blue did), the
 * role lists naming the partners, `apim.version` the target, every `database` block on the green copies, and the
 * `green:` section gone. Edited through yaml's Document so comments and layout stay. Pure: text in, text out.
 */
import { isMap, isScalar, isSeq, parseDocument, visit, type Document, type YAMLMap } from 'yaml';

export interface MigratedInventoryInput {
  readonly text: string;
  readonly id: string;
  readonly to: string;
  readonly partners: readonly { readonly blue: string; readonly name: string; readonly address: string }[];
  /** Blue database name → its green copy. */
  readonly databases: readonly { readonly blue: string; readonly green: string }[];
  /** The names an inventory that writes none uses (`database.apim_db`/`shared_db` defaults). */
  readonly defaults: { readonly apim_db: string; readonly shared_db: string };
}

/** `inventories/eu.yaml` → `inventories/eu.migrated.yaml` (its `.env` is then `eu.migrated.env`: move it over eu.yaml instead). */
export const migratedInventoryFile = (file: string): string => (/\.ya?ml$/.test(file) ? file.replace(/\.ya?ml$/, '.migrated.yaml') : `${file}.migrated.yaml`);

function renameRoleLists(roles: unknown, rename: (name: string) => string): void {
  if (!isMap(roles)) return;
  for (const pair of roles.items) {
    if (!isSeq(pair.value)) continue;
    for (const item of pair.value.items) if (isScalar(item) && typeof item.value === 'string') item.value = rename(item.value);
  }
}

export function migratedInventoryText(input: MigratedInventoryInput): string {
  const doc: Document = parseDocument(input.text);
  const partner = new Map(input.partners.map((p) => [p.blue, p]));
  const rename = (name: string): string => partner.get(name)?.name ?? name;
  doc.setIn(['apim', 'version'], input.to);
  const hosts = doc.get('hosts');
  if (isMap(hosts)) {
    for (const pair of hosts.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const p = partner.get(key);
      if (!p) continue;
      if (isScalar(pair.key)) pair.key.value = p.name;
      if (isMap(pair.value)) pair.value.set('address', p.address);
    }
  }
  renameRoleLists(doc.get('roles'), rename);
  const dcs = doc.get('datacenters');
  if (isMap(dcs)) for (const dc of dcs.items) if (isMap(dc.value)) renameRoleLists(dc.value.get('roles'), rename);
  const green = new Map(input.databases.map((d) => [d.blue, d.green]));
  visit(doc, {
    Pair(_, pair) {
      if (!isScalar(pair.key) || pair.key.value !== 'database' || !isMap(pair.value)) return;
      const db = pair.value as YAMLMap;
      for (const field of ['apim_db', 'shared_db'] as const) {
        const current = db.get(field);
        const name = typeof current === 'string' ? current : input.defaults[field];
        const to = green.get(name);
        if (to) db.set(field, to);
      }
    },
  });
  doc.delete('green');
  const note = ` Migrated to ${input.to} by apim-deploy migrate --finish (${input.id}): green's hosts in blue's places, green's databases.`;
  doc.commentBefore = doc.commentBefore ? `${doc.commentBefore}\n${note}` : note;
  return doc.toString();
}
