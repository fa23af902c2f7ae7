import { readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { cachedByIdentity, identityCacheFile } from '../files/identity-cache.js';
import { PATTERN_IDS, ROLE_NAMES, type LayoutRules, type PatternDefinition, type PatternId, type RoleName } from '../model/inventory.js';
import { checkShape } from '../yaml/shape-check.js';
import { YamlSource, type DocPath } from '../yaml/source.js';
import { catalogCodeFiles } from './catalog-cache.js';

/** patterns/ at the repository root: data, one YAML file per pattern. */
export const PATTERNS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'patterns');

const roleName = z.enum(ROLE_NAMES);
const layout = z.strictObject({
  roles: z.record(z.string(), z.strictObject({ min: z.number().int().min(0), max: z.number().int().min(1).optional() })),
  load_balancer_when: z.array(roleName),
});
const writtenPattern = z.strictObject({
  id: z.string(),
  title: z.string().min(1),
  description: z.string().min(1),
  layout: layout.optional(),
  datacenters: z
    .strictObject({ min: z.number().int().min(2), central: layout, regional: layout, replicated_database: z.boolean(), identical_regions: z.boolean(), cross_region_events: z.boolean() })
    .optional(),
  never_share: z.array(z.tuple([roleName, roleName])),
  h2_allowed: z.boolean(),
});
type WrittenLayout = z.infer<typeof layout>;

let cache: PatternDefinition[] | undefined;

/**
 * Every pattern in patterns/, validated; a broken file is a ConfigError with file:line. Cached after the first call,
 * and for patterns/ itself between runs while its files and the code that checks them are unchanged (a broken file is
 * never cached, src/files/identity-cache.ts).
 */
export function loadPatternCatalog(dir: string = PATTERNS_DIR): PatternDefinition[] {
  if (dir !== PATTERNS_DIR) return readPatterns(dir);
  cache ??= cachedPatterns(dir);
  return cache;
}

/** readPatterns(dir) through the identity cache (exported for tests, which give a cache file of their own). */
export function cachedPatterns(dir: string, cacheFile = identityCacheFile('pattern-catalog', dir)): PatternDefinition[] {
  const inputs = [dir, ...readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(dir, f)), ...catalogCodeFiles()];
  return cachedByIdentity(cacheFile, inputs, () => ({ value: readPatterns(dir), deps: [] }));
}

function readPatterns(dir: string): PatternDefinition[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  const sources = files.map((f) => new YamlSource(relative(process.cwd(), join(dir, f)) || f, readFileSync(join(dir, f), 'utf8')));
  const patterns = sources.map((src, i) => toPattern(src, join(dir, files[i]!)));
  const seen = new Set(files.map((f) => basename(f, '.yaml')));
  const issues = sources.flatMap((s) => s.issues);
  for (const id of PATTERN_IDS) {
    if (!seen.has(id)) issues.push({ file: dir, line: 1, col: 1, path: '', message: `pattern ${id} has no file: add ${id}.yaml` });
  }
  if (issues.length > 0) {
    throw new ConfigError(`the pattern catalog in ${dir} is invalid (${issues.length} problem(s))`, issues, 'fix the pattern files listed above');
  }
  return patterns.filter((p): p is PatternDefinition => p !== undefined);
}

/** The pattern with this id, or undefined when there is none. */
export function getPattern(id: string): PatternDefinition | undefined {
  return loadPatternCatalog().find((p) => p.id === id);
}

function toPattern(src: YamlSource, file: string): PatternDefinition | undefined {
  if (src.issues.length > 0) return undefined;
  const w = checkShape(writtenPattern, src.toJS(), src);
  if (!w) return undefined;
  const expectedId = basename(file, '.yaml');
  if (w.id !== expectedId) src.add(['id'], `id '${w.id}' does not match the file name: use "${expectedId}"`);
  if (!(PATTERN_IDS as readonly string[]).includes(w.id)) src.add(['id'], `unknown pattern id '${w.id}': use one of ${PATTERN_IDS.join(', ')}`);
  if ((w.layout === undefined) === (w.datacenters === undefined)) src.add([], 'give exactly one of layout (single datacenter) or datacenters (multi-DC)');
  const layouts: [DocPath, WrittenLayout][] = [];
  if (w.layout) layouts.push([['layout'], w.layout]);
  if (w.datacenters) layouts.push([['datacenters', 'central'], w.datacenters.central], [['datacenters', 'regional'], w.datacenters.regional]);
  const checked = layouts.map(([at, l]) => checkLayout(l, at, src));
  if (src.issues.length > 0) return undefined;
  return {
    id: w.id as PatternId,
    title: w.title,
    description: w.description.trim(),
    // Absent rather than undefined: the cached catalog is this value through JSON, which drops undefined keys.
    ...(w.layout ? { layout: checked[0]! } : {}),
    ...(w.datacenters
      ? { datacenters: { min: w.datacenters.min, central: checked[0]!, regional: checked[1]!, replicatedDatabase: w.datacenters.replicated_database,
          identicalRegions: w.datacenters.identical_regions, crossRegionEvents: w.datacenters.cross_region_events } }
      : {}),
    neverShare: w.never_share,
    h2Allowed: w.h2_allowed,
    file,
  };
}

function checkLayout(l: WrittenLayout, at: DocPath, src: YamlSource): LayoutRules {
  const roles: Partial<Record<RoleName, { min: number; max?: number }>> = {};
  for (const [name, count] of Object.entries(l.roles)) {
    if (!(ROLE_NAMES as readonly string[]).includes(name)) {
      src.add([...at, 'roles', name], `unknown role '${name}': use one of ${ROLE_NAMES.join(', ')}`, 'key');
      continue;
    }
    if (count.max !== undefined && count.max < count.min) src.add([...at, 'roles', name, 'max'], `max ${count.max} is below min ${count.min}`);
    roles[name as RoleName] = count;
  }
  l.load_balancer_when.forEach((r, i) => {
    if (!roles[r]) src.add([...at, 'load_balancer_when', i], `role '${r}' is not part of this layout`);
  });
  return { roles, loadBalancerWhen: l.load_balancer_when };
}
