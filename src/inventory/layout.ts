import { ROLE_NAMES, type RoleName, type SourcePos } from '../model/inventory.js';
import type { DotenvFile } from '../secrets/dotenv.js';
import { didYouMean } from '../model/did-you-mean.js';
import { HOST_NAME } from './names.js';
import type { WrittenInventory } from './schema.js';
import type { DocPath, YamlSource } from '../yaml/source.js';
import { checkVars } from './check-vars.js';
import type { Vars } from './variables.js';
import { quoted } from '../yaml/shown.js';

/** One role assignment: the top-level `roles:` or one datacenter's. */
export interface LayoutDraft {
  /** Datacenter name; undefined for single-datacenter inventories. */
  readonly datacenter?: string;
  /** Path of the `roles:` mapping. */
  readonly at: DocPath;
  readonly roles: Partial<Record<RoleName, string[]>>;
  readonly vars: Vars;
  readonly pos: SourcePos;
}

/** Reads `roles:` or `datacenters:` (as the pattern wants), checking role names and host references. */
/** `jumpHosts` (named by some proxy_jump) may play no role: a bastion is only jumped through. */
export function readLayouts(w: WrittenInventory, multiDc: boolean | undefined, hostNames: ReadonlySet<string>, src: YamlSource, env: DotenvFile,
  jumpHosts: ReadonlySet<string> = new Set()): LayoutDraft[] {
  if (multiDc === true && w.roles) src.add(['roles'], 'multi-datacenter patterns assign roles per datacenter: move them under datacenters.<name>.roles', 'key');
  if (multiDc === false && w.datacenters) src.add(['datacenters'], 'this pattern has one datacenter: use a top-level roles: mapping, or a multi-dc-* pattern', 'key');
  if (multiDc === true && !w.datacenters) src.add([], "required key 'datacenters' is missing: add datacenters: { <name>: { roles: {...} } }");
  if (multiDc === false && !w.roles) src.add([], "required key 'roles' is missing: add roles: { <role>: [<host>, ...] }");

  const layouts: LayoutDraft[] = [];
  const mentioned = new Set<string>();
  if (w.roles && multiDc !== true) layouts.push(readRoles(w.roles, ['roles'], undefined, {}, hostNames, src, mentioned));
  if (w.datacenters && multiDc !== false) {
    for (const [dc, spec] of Object.entries(w.datacenters)) {
      const at = ['datacenters', dc];
      if (!HOST_NAME.test(dc)) src.add(at, `datacenter name ${quoted(dc)} is not allowed: use ${HOST_NAME.expected}`, 'key');
      const vars = checkVars(spec.vars, [...at, 'vars'], 'datacenter', src, env);
      layouts.push(readRoles(spec.roles, [...at, 'roles'], dc, vars, hostNames, src, mentioned));
    }
  }
  if (layouts.length > 0) checkEveryHostPlaced(layouts, hostNames, new Set([...mentioned, ...jumpHosts]), src);
  return layouts;
}

/** `mentioned` collects hosts listed under a misspelt role: already reported, so not "plays no role" as well. */
function readRoles(raw: Record<string, string[]>, at: DocPath, datacenter: string | undefined, vars: Vars, hostNames: ReadonlySet<string>, src: YamlSource, mentioned: Set<string>): LayoutDraft {
  const roles: Partial<Record<RoleName, string[]>> = {};
  for (const [role, hosts] of Object.entries(raw)) {
    if (!(ROLE_NAMES as readonly string[]).includes(role)) {
      src.add([...at, role], `unknown role ${quoted(role)}${didYouMean(role, ROLE_NAMES)}; roles are ${ROLE_NAMES.join(', ')}`, 'key');
      for (const h of hosts) mentioned.add(h);
      continue;
    }
    const seen = new Set<string>();
    hosts.forEach((host, i) => {
      if (!hostNames.has(host)) {
        src.add([...at, role, i], `host ${quoted(host)} is not defined under hosts:${didYouMean(host, hostNames)}; add it there or fix the name`);
      } else if (seen.has(host)) {
        src.add([...at, role, i], `host ${quoted(host)} is listed twice for ${role}: remove one (a host runs a role once)`);
      }
      seen.add(host);
    });
    roles[role as RoleName] = [...seen].filter((h) => hostNames.has(h));
  }
  return { datacenter, at, roles, vars, pos: src.pos(at, 'key') };
}

function checkEveryHostPlaced(layouts: readonly LayoutDraft[], hostNames: ReadonlySet<string>, mentioned: ReadonlySet<string>, src: YamlSource): void {
  const dcOf = new Map<string, string>();
  for (const l of layouts) {
    for (const [role, hosts] of Object.entries(l.roles)) {
      hosts.forEach((h, i) => {
        const other = dcOf.get(h);
        if (l.datacenter !== undefined && other !== undefined && other !== l.datacenter) {
          src.add([...l.at, role, i], `host ${quoted(h)} is already in datacenter ${quoted(other)}: a host lives in one datacenter`);
        }
        dcOf.set(h, l.datacenter ?? '');
      });
    }
  }
  for (const h of hostNames) {
    if (!dcOf.has(h) && !mentioned.has(h)) src.add(['hosts', h], `host ${quoted(h)} plays no role: add it to a role or remove it`, 'key');
  }
}
