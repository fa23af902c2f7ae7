/**
 * Issue 16's property suite: a hostile string in EVERY variable of the variables table (the field list is derived
 * from src/inventory/variables.ts, never hand-kept) and as EVERY secret, on PostgreSQL and on MySQL. Each case must
 * either be refused by validate with a position at that variable, or render files that parse back, in their own
 * format, to exactly the value written (TOML with smol-toml, SQL, nginx, sh words), with every planned command a
 * line that sh splits back into exactly its argv; and no secret appears in any output: messages, plan text and
 * JSON, the serialised inventory, file names. Deterministic (seeded); the counts are printed.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { ConfigError, formatIssue } from '../../../src/errors.js';
import { loadInventory } from '../../../src/inventory/load.js';
import { summarizeInventory } from '../../../src/inventory/summary.js';
import { VARIABLES } from '../../../src/inventory/variables.js';
import type { Inventory } from '../../../src/model/inventory.js';
import { isSecret } from '../../../src/model/secret.js';
import { buildPlan } from '../../../src/planner/build-plan.js';
import { sealPlan, secretFiles } from '../../../src/planner/seal-plan.js';
import type { RenderedFile } from '../../../src/render/render-inventory.js';
import { renderInventory } from '../../../src/render/render-inventory.js';
import { sealWithKey } from '../../../src/secrets/plan-key.js';
import { stepKinds } from '../../../src/steps/index.js';
import { commandLine } from '../../../src/transport/quote.js';
import { formatPlan, planDocumentJson } from '../../../src/ui/index.js';
import { freshHostState } from '../../../src/workflows/run/fresh-state.js';
import { planningInputs } from '../../../src/workflows/run/planning-inputs.js';
import { previewStep, stepMutates } from '../../../src/workflows/plan.js';
import { BASE_HOSTS, BASE_ROLES, FIXTURE_DIST } from '../../fixtures/hostile-inventory.js';
import { hostileStrings, type Hostile } from './hostile-strings.js';
import { confWords, mysqlValues, nginxWords, pgValues, shAssignments, shWords } from './parsers.js';

const SEED = 16_2026;
const MIXES = 14;
const HOSTILE = hostileStrings(SEED, MIXES);

/** Every variable and every field of a mapping variable, from the table. */
interface Field {
  readonly path: readonly string[];
  readonly kind: string;
}
const FIELDS: readonly Field[] = Object.entries(VARIABLES).flatMap(([name, spec]): Field[] => ('default' in spec
  ? [{ path: [name], kind: spec.kind.kind }]
  : Object.entries(spec.kind.fields).map(([f, s]) => ({ path: [name, f], kind: s.kind.kind }))));

type Vars = Record<string, unknown>;
const baseVars = (db: 'postgresql' | 'mysql'): Vars => ({
  admin_password: 'Base-Admin-Pw-77',
  database: { type: db, host: 'db-1', user: 'apim', password: 'Base-Db-Pw-77' },
});

function withField(vars: Vars, path: readonly string[], value: unknown): Vars {
  const out = structuredClone(vars);
  if (path.length === 1) out[path[0]!] = value;
  else out[path[0]!] = { ...((out[path[0]!] as Vars | undefined) ?? {}), [path[1]!]: value };
  return out;
}

/** The inventory, `vars:` on one line as JSON (a YAML flow mapping): every hostile string is a JSON-escaped scalar. */
function inventory(vars: Vars): string {
  const dist = FIXTURE_DIST;
  return `name: prop
pattern: 3
apim:
  version: 4.6.0
  distributions:
    acp: { path: "${dist}/wso2am-acp-{version}.zip" }
    universal-gw: { path: "${dist}/wso2am-universal-gw-{version}.zip" }
    tm: { path: "${dist}/wso2am-tm-{version}.zip" }
  jdk: { path: ${dist}/jdk-21.tar.gz }
  jdbc_driver: { path: ${dist}/postgresql-42.7.4.jar }
vars: ${JSON.stringify(vars)}
hosts:
${Object.entries(BASE_HOSTS).map(([h, b]) => `  ${h}: { ${b} }`).join('\n')}
roles:
${BASE_ROLES}
`;
}
const VARS_LINE = 11;

const dir = mkdtempSync(join(tmpdir(), 'apim-property-'));
let n = 0;
async function load(vars: Vars): Promise<Inventory | ConfigError> {
  const file = join(dir, `p${n++}.yaml`);
  writeFileSync(file, inventory(vars));
  writeFileSync(file.replace(/\.yaml$/, '.env'), '');
  try {
    return await loadInventory(file);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err; // anything but a ConfigError would be exit 70
  }
}

/** XML 1.0's five predefined entities and numeric references, decoded as an XML parser does. */
function xmlDecode(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return text.replace(/&(?:#x([0-9a-fA-F]+)|#(\d+)|(amp|lt|gt|quot|apos));/g, (_, hex: string | undefined, dec: string | undefined, name: string | undefined) =>
    name ? named[name]! : String.fromCodePoint(parseInt(hex ?? dec!, hex ? 16 : 10)));
}

/** The values a file's consumer reads from it, by format. Throws when the file does not parse. */
function leaves(f: RenderedFile, format: string): string[] {
  if (format === 'toml') {
    const out: string[] = [];
    // Datasource values under [database.*] reach master-datasources.xml verbatim, so the TOML carries them
    // XML-escaped (issue 10); Carbon's XML parser decodes them: that decoded text is what the node reads.
    const walk = (v: unknown, inDatabase: boolean): void => {
      if (typeof v === 'string') out.push(inDatabase ? xmlDecode(v) : v);
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, inDatabase || k === 'database');
    };
    walk(parseToml(f.content), false);
    return out;
  }
  if (format === 'sql') return pgValues(f.content);
  if (format === 'mysql') return mysqlValues(f.content);
  if (format === 'nginx') return nginxWords(f.content);
  if (format === 'shell') return shAssignments(f.content);
  return confWords(f.content);
}

/** The file's format, by its template (role.yaml names the format; the template name says the same, shorter). */
const formatOf = (f: RenderedFile): string => {
  return f.template.endsWith('.toml.eta') ? 'toml' : f.template.endsWith('nginx.conf.eta') ? 'nginx'
    : f.template.endsWith('postgresql.sql.eta') ? 'sql' : f.template.endsWith('mysql.sql.eta') ? 'mysql'
    : f.template.endsWith('wso2.env.eta') ? 'shell' : 'conf';
};

/** What the node holds for the field after normalisation (a secret revealed). */
function valueOf(inv: Inventory, path: readonly string[]): string {
  const node = inv.nodes.find((x) => x.role === 'control-plane')!;
  const v = path.length === 1 ? (node.vars as unknown as Vars)[path[0]!] : ((node.vars as unknown as Vars)[path[0]!] as Vars)[path[1]!];
  return isSecret(v) ? v.reveal() : String(v);
}

const MARKERS = ['mkzq8xq7', 'mkzq8xq7.example.com', '/opt/mkzq8xq7', '777m', 'Mkzq8xq7 Lbl', 'Marker-Pw-zq8xq7'];

/** The first marker the field accepts, with the leaves (per file) that hold it in a render. */
async function baseline(db: 'postgresql' | 'mysql', field: Field) {
  for (const marker of MARKERS) {
    const inv = await load(withField(baseVars(db), field.path, marker));
    if (inv instanceof ConfigError) continue;
    const value = valueOf(inv, field.path);
    const files = new Map<string, string[]>();
    for (const node of renderInventory(inv)) {
      for (const f of node.files) {
        const found = leaves(f, formatOf(f)).filter((l) => l.includes(value));
        if (found.length > 0) files.set(`${node.host}:${f.path}`, found);
      }
    }
    return { value, files };
  }
  return undefined;
}

const stats = { cases: 0, refused: 0, rendered: 0, roundTrips: 0, commands: 0, secretScans: 0 };

describe('property: hostile strings in every variable and every secret', () => {
  it('derives its field list from the variables table', () => {
    expect(FIELDS.map((f) => f.path.join('.'))).toEqual(expect.arrayContaining(['admin_password', 'database.password', 'install_dir', 'gateway_environment']));
    expect(FIELDS.length).toBe(Object.values(VARIABLES).reduce((k, s) => k + ('default' in s ? 1 : Object.keys(s.kind.fields).length), 0));
  });

  for (const db of ['postgresql', 'mysql'] as const) {
    for (const field of FIELDS) {
      const label = `${db}: ${field.path.join('.')}`;
      it(label, async () => {
        const base = await baseline(db, field);
        const secret = field.kind === 'password';
        for (const h of HOSTILE) await oneCase(db, field, h, base, secret);
      }, 300_000);
    }
  }

  it('quote.ts: every hostile string (NUL aside: sh cannot hold one) is one sh word again, as argv, env value and cwd', () => {
    for (const h of HOSTILE.filter((x) => !x.value.includes('\0'))) {
      stats.cases++;
      stats.commands++;
      const { wire } = commandLine({ argv: ['printf', '%s', h.value], env: { V: h.value } });
      expect(shWords(wire), h.label).toEqual([`V=${h.value}`, 'printf', '%s', h.value]);
      const cd = commandLine({ argv: ['true'], cwd: h.value }).wire;
      expect(shWords(cd.slice(3, cd.indexOf(' && '))), h.label).toEqual([h.value]);
    }
  });

  it('prints how many cases ran', () => {
    // eslint-disable-next-line no-console
    const quoted = HOSTILE.filter((x) => !x.value.includes('\0')).length;
    console.log(`hostile property suite (seed ${SEED}): ${HOSTILE.length} strings x ${FIELDS.length} fields x 2 databases = ${stats.cases - quoted} inventory cases + ${quoted} quoting cases; ` +
      `${stats.refused} refused at their line, ${stats.rendered} rendered, ${stats.roundTrips} values parsed back, ${stats.commands} command lines split back, ${stats.secretScans} secret scans`);
    expect(stats.cases).toBe(HOSTILE.length * FIELDS.length * 2 + HOSTILE.filter((x) => !x.value.includes('\0')).length);
  });
});

async function oneCase(db: 'postgresql' | 'mysql', field: Field, h: Hostile, base: Awaited<ReturnType<typeof baseline>>, secret: boolean): Promise<void> {
  stats.cases++;
  const where = `${db} ${field.path.join('.')} = ${h.label}`;
  const result = await load(withField(baseVars(db), field.path, h.value));
  if (result instanceof ConfigError) {
    stats.refused++;
    const dotted = `vars.${field.path.join('.')}`;
    const at = result.issues.find((i) => i.path === dotted || i.path.startsWith(`${dotted}.`) || (i.path === 'vars' && i.line === VARS_LINE) || i.path === 'vars.database');
    expect(at, `${where}: refused, but not at the variable:\n${result.issues.map(formatIssue).join('\n').slice(0, 1500)}`).toBeDefined();
    expect(at!.line).toBe(VARS_LINE);
    if (secret) {
      stats.secretScans++;
      const text = [result.message, ...result.issues.map(formatIssue)].join('\n');
      expect(text.includes(h.core), `${where}: the refusal shows the secret`).toBe(false);
    }
    return;
  }
  stats.rendered++;
  const inv = result;
  const value = valueOf(inv, field.path);
  const nodes = renderInventory(inv);
  for (const node of nodes) {
    for (const f of node.files) {
      let got: string[];
      try {
        got = leaves(f, formatOf(f));
      } catch (err) {
        throw new Error(`${where}: ${node.host}:${f.path} does not parse: ${(err as Error).message}`);
      }
      for (const want of base?.files.get(`${node.host}:${f.path}`) ?? []) {
        stats.roundTrips++;
        expect(got, `${where}: ${node.host}:${f.path}`).toContain(want.split(base!.value).join(value));
      }
    }
  }
  // Every command the plan would run is one sh line that splits back into its argv.
  const p = await planningInputs(inv);
  const inputs = { ...p.inputs, seal: sealWithKey(Buffer.alloc(32, 1)), state: new Map(inv.hosts.map((host) => [host.name, freshHostState()])) };
  const plan = buildPlan(inputs);
  for (const step of plan.waves.flatMap((w) => w.steps)) {
    for (const cmd of stepKinds[step.kind].commands(step as never)) {
      stats.commands++;
      const wire = commandLine(cmd).wire;
      const env = Object.entries(cmd.env ?? {}).map(([k, v]) => `${k}=${isSecret(v) ? v.reveal() : v}`);
      expect(shWords(cmd.cwd === undefined ? wire : wire.slice(wire.indexOf(' && ') + 4)), `${where}: ${step.id}`)
        .toEqual([...env, ...cmd.argv.map((a) => (isSecret(a) ? a.reveal() : a))]);
    }
  }
  if (!secret) return;
  stats.secretScans++;
  const sealed = sealPlan(plan, p.contents, secretFiles([]), inputs.seal);
  const outputs = [
    summarizeInventory(inv), JSON.stringify(inv), inspect(inv, { depth: 12 }),
    formatPlan({ plan: sealed.plan, preview: previewStep, contents: sealed.contents, mutates: stepMutates, secrets: inv.secrets }).join('\n'),
    planDocumentJson({ plan: sealed.plan, preview: previewStep, contents: sealed.contents, mutates: stepMutates, secrets: inv.secrets }),
    JSON.stringify(plan),
    ...nodes.flatMap((node) => node.files.map((f) => `${node.host}/${f.path}`)),
  ];
  for (const out of outputs) expect(out.includes(h.core), `${where}: a secret in ${out.slice(0, 120)}`).toBe(false);
}
