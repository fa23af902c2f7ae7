import { wso2Server } from '../../catalog/variants.js';
import type { OwnedTomlKey } from '../../model/role.js';
import { dottedTomlKey, isTomlTable, type TomlKeyPath, type TomlOverrideLayer, type TomlTable } from '../../model/toml-overrides.js';
import type { RuleContext } from './context.js';

/** A key a deployment_toml layer sets, or an array of tables it appends to (`append`). */
interface Touched {
  readonly path: TomlKeyPath;
  readonly append: boolean;
}

/**
 * deployment_toml may not set a key apim-deploy's wiring owns (roles/wso2-server.yaml `deploymentToml.owned`)
 * unless the same vars block forces it; force and replace entries must name something that block sets. Each issue
 * is reported once per vars block, at the inventory line of the key.
 */
export function checkDeploymentToml(ctx: RuleContext): void {
  const owned = wso2Server(ctx.catalog).deploymentToml.owned;
  const seen = new Set<string>();
  for (const n of ctx.nodes) {
    if (ctx.catalog[n.role].runtime.kind !== 'wso2') continue;
    for (const layer of n.vars.values['deployment_toml'] as readonly TomlOverrideLayer[]) {
      const id = layer.at.join('\0');
      if (seen.has(id)) continue;
      seen.add(id);
      checkLayer(ctx, layer, owned);
    }
  }
}

function checkLayer(ctx: RuleContext, layer: TomlOverrideLayer, owned: readonly OwnedTomlKey[]): void {
  const touched = touchedKeys(layer.table, []);
  const block = layer.at.slice(0, -1);
  const usedForce = new Set<number>();
  for (const t of touched) {
    const replaced = t.append && layer.replace.some((r) => same(r, t.path));
    const own = owned.find((o) => startsWith(t.path, o.key.split('.')));
    if (!own || (own.appendable && t.append && !replaced && same(t.path, own.key.split('.')))) continue;
    const force = layer.force.findIndex((f) => startsWith(t.path, f));
    if (force >= 0) {
      usedForce.add(force);
      continue;
    }
    const verb = replaced ? 'replacing' : t.append ? 'appending to' : 'setting';
    ctx.src.add([...layer.at, ...t.path], `${verb} ${dottedTomlKey(t.path)} overrides what apim-deploy writes from ${own.by} (${own.key}): change that instead, or add ${own.key} to deployment_toml_force in this vars block`, 'key');
  }
  layer.force.forEach((f, i) => {
    if (usedForce.has(i)) return;
    const what = touched.some((t) => startsWith(t.path, f)) ? 'which apim-deploy does not own: no force is needed' : 'which this block\'s deployment_toml does not set';
    ctx.src.add([...block, 'deployment_toml_force', i], `${dottedTomlKey(f)} is forced, ${what}; remove it`);
  });
  layer.replace.forEach((r, i) => {
    if (!touched.some((t) => t.append && same(t.path, r))) {
      ctx.src.add([...block, 'deployment_toml_replace', i], `${dottedTomlKey(r)} is not a list of mappings (an array of tables) in this block's deployment_toml: only those are appended, so only those can be replaced`);
    }
  });
}

function touchedKeys(table: TomlTable, path: TomlKeyPath): Touched[] {
  return Object.entries(table).flatMap(([key, value]): Touched[] => {
    const at = [...path, key];
    if (isTomlTable(value)) return touchedKeys(value, at);
    const arrayOfTables = Array.isArray(value) && value.length > 0 && value.every(isTomlTable);
    return [{ path: at, append: arrayOfTables }];
  });
}

const same = (a: TomlKeyPath, b: TomlKeyPath): boolean => a.length === b.length && startsWith(a, b);
const startsWith = (path: TomlKeyPath, prefix: TomlKeyPath): boolean => prefix.length <= path.length && prefix.every((p, i) => p === path[i]);
