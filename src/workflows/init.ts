import { existsSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getPattern, loadPatternCatalog } from '../catalog/patterns.js';
import { defaultRoleCatalog } from '../catalog/roles.js';
import { distributionOf } from '../catalog/variants.js';
import { UsageError } from '../errors.js';
import { PLACEHOLDER } from '../inventory/placeholders.js';
import { ROLE_NAMES, type LayoutRules, type PatternDefinition, type RoleName } from '../model/inventory.js';
import { didYouMean } from '../model/did-you-mean.js';

export interface InitOptions {
  readonly pattern: string;
  /** Multi-DC patterns: how many datacenters (default: the pattern's minimum). */
  readonly datacenters?: number;
  /** The inventory file to write; `.env.example` goes beside it (`eu-prod.yaml` → `eu-prod.env.example`). */
  readonly out: string;
  readonly apimVersion?: string;
}

/** The JSON Schema shipped with this package (a clone or an npm install), for the editor line of a new inventory. */
const SCHEMA_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'schema', 'inventory.schema.json');

/** The version init writes: the newest the roles support (roles/wso2-server.yaml says <4.7.0). */
const DEFAULT_VERSION = '4.6.0';
/** Host name prefixes by role: short, as operators name machines. */
const PREFIX: Readonly<Record<RoleName, string>> = {
  database: 'db', 'control-plane': 'cp', 'all-in-one': 'apim', 'key-manager': 'km', 'traffic-manager': 'tm', gateway: 'gw', 'load-balancer': 'lb',
};

interface Layout {
  readonly dc: string | null;
  readonly roles: Partial<Record<RoleName, string[]>>;
}

/** The smallest layout a pattern's rules accept, with the parts production needs: a database, and a balancer where HA asks for one. */
function smallest(rules: LayoutRules, dc: string | null, withDatabase: boolean): Layout {
  const roles: Partial<Record<RoleName, string[]>> = {};
  const name = (role: RoleName, i: number) => `${dc ? `${dc}-` : ''}${PREFIX[role]}-${i + 1}`;
  for (const role of ROLE_NAMES) {
    const count = rules.roles[role];
    if (!count) continue;
    const n = role === 'database' ? (withDatabase ? 1 : 0) : count.min;
    if (n > 0) roles[role] = Array.from({ length: n }, (_, i) => name(role, i));
  }
  const needsBalancer = rules.loadBalancerWhen.some((r) => (roles[r]?.length ?? 0) > 1);
  if (needsBalancer && rules.roles['load-balancer']) roles['load-balancer'] = [name('load-balancer', 0)];
  return { dc, roles };
}

function layouts(p: PatternDefinition, datacenters: number): Layout[] {
  if (p.layout) return [smallest(p.layout, null, !p.h2Allowed)];
  const d = p.datacenters!;
  return Array.from({ length: datacenters }, (_, i) => {
    const rules = i === 0 ? d.central : d.regional;
    return smallest(rules, `dc${i + 1}`, rules.roles.database !== undefined && (i === 0 || d.replicatedDatabase));
  });
}

const yamlList = (xs: readonly string[]) => `[${xs.join(', ')}]`;

function rolesBlock(l: Layout, indent: string): string[] {
  return ROLE_NAMES.filter((r) => l.roles[r]).map((r) => `${indent}${r}: ${yamlList(l.roles[r]!)}`);
}

function databaseVars(l: Layout, replicated: boolean): string {
  const host = l.roles.database?.[0];
  return `{ type: postgresql, host: ${host ?? PLACEHOLDER}, user: apimadmin, password: "\${DB_PASSWORD}"${replicated ? ', replicated: true' : ''} }`;
}

/** The commented inventory and the dotenv template for a pattern, as text. */
export function initFiles(opts: Omit<InitOptions, 'out'> & { envFileName: string; schemaPath: string }): { inventory: string; env: string } {
  const p = getPattern(opts.pattern);
  if (!p) {
    const ids = loadPatternCatalog().map((x) => x.id);
    throw new UsageError(`--pattern ${opts.pattern}: no such pattern${didYouMean(opts.pattern, ids)}`, `patterns are ${ids.join(', ')}`);
  }
  const min = p.datacenters?.min ?? 1;
  const count = opts.datacenters ?? min;
  if (!p.datacenters && opts.datacenters !== undefined && opts.datacenters !== 1) throw new UsageError(`--datacenters: pattern ${p.id} has one datacenter`, 'multi-datacenter patterns: multi-dc-active-active, multi-dc-active-passive');
  if (p.datacenters && count < min) throw new UsageError(`--datacenters ${count}: pattern ${p.id} needs at least ${min}`);
  const version = opts.apimVersion ?? DEFAULT_VERSION;
  const ls = layouts(p, count);
  const catalog = defaultRoleCatalog();
  const used = new Set(ls.flatMap((l) => Object.keys(l.roles) as RoleName[]));
  const packs = [...new Set([...used].flatMap((r) => distributionOf(catalog[r], version) ?? []))].sort();
  const hosts = ls.flatMap((l) => ROLE_NAMES.flatMap((r) => l.roles[r] ?? []));
  const h2 = p.h2Allowed && !used.has('database');
  const multi = p.datacenters !== undefined;
  const perDcDatabase = multi && p.datacenters!.replicatedDatabase;

  const lines = [
    `# yaml-language-server: $schema=${opts.schemaPath}`,
    `# Pattern ${p.id}: ${p.title}.`,
    ...p.description.trim().split('\n').map((l) => `# ${l}`),
    `# Written by apim-deploy init. Replace every ${PLACEHOLDER}, then: apim-deploy validate -i <this file>`,
    '# Reference of every key and variable: docs/inventory.md of apim-deploy.',
    'name: my-apim                  # the environment name (lower case, digits, . _ -)',
    `pattern: ${/^\d+$/.test(p.id) ? p.id : p.id}`,
    'apim:',
    `  version: ${version}`,
    '  distributions:               # the WSO2 zips for this version, relative to this file; {version} is apim.version',
    ...packs.map((k) => `    ${k}: { path: "${PLACEHOLDER}" }`),
    `  jdk: { path: "${PLACEHOLDER}" }   # a JDK 17 or 21 tarball (.tar.gz)`,
    ...(h2 ? [] : [`  jdbc_driver: { path: "${PLACEHOLDER}" }   # the database's JDBC driver jar (the packs ship none), e.g. postgresql-42.7.4.jar`]),
    'defaults: { user: root }      # SSH user for every host; also port, ssh_key, known_hosts',
    'vars:                          # every node; role_vars, datacenter vars and host vars override',
    '  admin_password: ${ADMIN_PASSWORD}          # ${NAME}: read from the dotenv file beside this one',
    '  keystore_password: ${KEYSTORE_PASSWORD}',
    '  truststore_password: ${TRUSTSTORE_PASSWORD}',
    ...(h2 ? ['  database: { type: h2 }     # embedded, for one node in development: use postgresql or mysql in production']
      : perDcDatabase ? [] : [`  database: ${databaseVars(ls[0]!, false)}`]),
    'hosts:                         # address: IPv4, IPv6 or DNS name',
    ...hosts.map((h) => `  ${h}: { address: "${PLACEHOLDER}" }`),
  ];
  if (multi) {
    lines.push(`datacenters:                   # the first one is the ${p.datacenters!.replicatedDatabase ? 'first written' : 'central one (control plane)'}`);
    for (const l of ls) {
      // Identical regions (active-active) share one environment name: the default, written nowhere.
      const dcVars = [...(p.datacenters!.identicalRegions ? [] : [`gateway_environment: ${l.dc}`]), ...(perDcDatabase ? [`database: ${databaseVars(l, true)}`] : [])];
      lines.push(`  ${l.dc}:`, ...(dcVars.length ? [`    vars: { ${dcVars.join(', ')} }`] : []), '    roles:', ...rolesBlock(l, '      '));
    }
  } else {
    lines.push('roles:', ...rolesBlock(ls[0]!, '  '));
  }
  const env = [
    `# Secrets for ${opts.envFileName.replace(/\.example$/, '')}: copy this file to that name (keep it out of version control, mode 0600)`,
    `# and replace every ${PLACEHOLDER}. Never put these values in the inventory itself.`,
    `ADMIN_PASSWORD=${PLACEHOLDER}`,
    ...(h2 ? [] : [`DB_PASSWORD=${PLACEHOLDER}`]),
    '# The shipped keystores use wso2carbon; change both when you bring your own keystores.',
    'KEYSTORE_PASSWORD=wso2carbon',
    'TRUSTSTORE_PASSWORD=wso2carbon',
  ];
  return { inventory: `${lines.join('\n')}\n`, env: `${env.join('\n')}\n` };
}

/** `apim-deploy init`: writes the inventory and its `.env.example`, never over an existing file. */
export function initInventory(opts: InitOptions): { inventory: string; envExample: string } {
  const inventory = resolve(opts.out);
  const envExample = join(dirname(inventory), `${basename(inventory).replace(/\.ya?ml$/, '')}.env.example`);
  for (const f of [inventory, envExample]) {
    if (existsSync(f)) throw new UsageError(`${relative(process.cwd(), f) || f} exists: init never overwrites a file`, 'choose another --out, or move the file away');
  }
  const schemaPath = relative(dirname(inventory), SCHEMA_FILE);
  const files = initFiles({ ...opts, envFileName: basename(envExample), schemaPath });
  writeFileSync(inventory, files.inventory, { flag: 'wx' });
  writeFileSync(envExample, files.env, { flag: 'wx' });
  return { inventory, envExample };
}
