/**
 * Scale figures (prints numbers, asserts nothing): pattern 3 with many gateways on N lab hosts (BENCH_SCALE_HOSTS,
 * default "32,64": 2 control planes, 2 traffic managers, a balancer, a database, the rest gateways), the lab's small
 * simulated archives, logged in as deploy with sudo. For each size, in one run: apim-deploy's cold provision through
 * the CLI (bin/apim-deploy, the bundle built first) beside plain OpenSSH's copy floor (bench/floors.ts), then its
 * no-op re-run, plan and status in alternation with OpenSSH's no-op floor once the machine is quiet
 * (bench/alternating.ts, BENCH_SCALE_ROUNDS rounds, default 3; status's failing nodes printed, when any). Each CLI run with the CLI process's wall time, CPU
 * seconds and peak RSS (GNU time), each floor with the CPU seconds of its ssh/scp processes, and the load average,
 * the machine's used memory and its CPU beside every figure. Then a provision with one gateway's heap changed, and a
 * rolling `upgrade` to the same version's update level 12 in batches of 25 % of the gateways. Then multi-DC
 * active-passive with 4 datacenters (BENCH_SCALE_MDC_HOSTS, default "32"; the central one with the database, 2 control
 * planes, and in each a traffic manager, a balancer and gateways): cold, then the same alternating series.
 * BENCH_SCALE_HOSTS="" skips pattern 3. Lab `bench-scale`, 10.213.193.0/24. Run as root: `npx tsx bench/scale.ts` (or
 * `npm run bench:scale`).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { freemem, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { buildDistributions } from '../src/lab/dist/build.js';
import { labDown, labUp } from '../src/lab/hosts/index.js';
import { alternate, gapText, type Contender } from './alternating.js';
import { floorHosts, OpenSshFloor, run, type FloorFigure } from './floors.js';
import { cpuLine, cpuSample, cpuSince, quietLine, waitForQuiet, type CpuFigure } from './machine-cpu.js';
import { BENCH_SECRETS, deployWithSudo, inventoryYaml } from './provision.js';

const REPO = resolve(import.meta.dirname, '..');
const LAB = { name: 'bench-scale', projectRoot: REPO } as const;
const SUBNET = process.env['BENCH_SCALE_SUBNET'] ?? '10.213.193.0/24';
const sizes = (text: string): number[] => text.split(',').filter((x) => x.trim() !== '').map(Number);
const SIZES = sizes(process.env['BENCH_SCALE_HOSTS'] ?? '32,64');
const MDC_SIZES = sizes(process.env['BENCH_SCALE_MDC_HOSTS'] ?? '32');
const DATACENTERS = ['dc1', 'dc2', 'dc3', 'dc4'];
/** Rounds of the no-op series (BENCH_SCALE_ROUNDS, default 3). */
const ROUNDS = Number(process.env['BENCH_SCALE_ROUNDS'] ?? 3);

interface CliFigure { readonly ms: number; readonly cpuMs: number; readonly maxRssMb: number; readonly code: number; readonly tail: string; readonly stdout: string; readonly machine: CpuFigure }

/** The WSO2 Updates level the rolling upgrade goes to (`lab dist --update-level`): one version, so `upgrade` rolls it. */
const UPDATE_LEVEL = 12;

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const machine = () => `load ${loadavg().map((l) => l.toFixed(1)).join(' ')}, used ${((totalmem() - freemem()) / 2 ** 30).toFixed(1)} GB`;

/** pattern 3: 2 cp, 2 tm, the rest gateways, a balancer, a database. */
export function scaleHosts(n: number): string[] {
  return ['cp-1', 'cp-2', 'tm-1', 'tm-2', ...Array.from({ length: n - 6 }, (_, i) => `gw-${i + 1}`), 'lb-1', 'db-1'];
}

/**
 * Multi-DC active-passive over 4 datacenters: the central one (dc1) holds the database and 2 control planes; each
 * holds a traffic manager, a balancer and its share of the other hosts as gateways.
 */
export function multiDcHosts(n: number): Map<string, string[]> {
  const gateways = n - 3 - 2 * DATACENTERS.length;
  return new Map(DATACENTERS.map((dc, d) => {
    const own = Math.floor(gateways / DATACENTERS.length) + (d < gateways % DATACENTERS.length ? 1 : 0);
    return [dc, [...(d === 0 ? ['db-1', 'cp-1', 'cp-2'] : []), `${dc}-tm-1`, `${dc}-lb-1`, ...Array.from({ length: own }, (_, i) => `${dc}-gw-${i + 1}`)]];
  }));
}

export function multiDcInventoryYaml(state: Parameters<typeof inventoryYaml>[0], dist: string, byDc: Map<string, string[]>): string {
  const address = (h: string) => state.hosts.find((x) => x.name === h)!.address;
  const pick = (hosts: readonly string[], part: string) => `[${hosts.filter((h) => h.includes(part)).join(', ')}]`;
  const p3 = inventoryYaml(state, dist, '512m', deployWithSudo(LAB), [...byDc.values()].flat());
  const head = p3.slice(0, p3.indexOf('\nhosts:')).replace('name: bench-prov', 'name: bench-mdc').replace('pattern: 3', 'pattern: multi-dc-active-passive');
  return [
    head.trimEnd(),
    'hosts:', ...[...byDc.values()].flat().map((h) => `  ${h}: { address: ${address(h)} }`),
    'datacenters:',
    ...[...byDc].flatMap(([dc, hosts], d) => [
      `  ${dc}:`, `    vars: { gateway_environment: ${dc} }`, '    roles:',
      ...(d === 0 ? ['      database: [db-1]', '      control-plane: [cp-1, cp-2]'] : []),
      `      traffic-manager: ${pick(hosts, '-tm-')}`, `      load-balancer: ${pick(hosts, '-lb-')}`, `      gateway: ${pick(hosts, '-gw-')}`,
    ]),
    '',
  ].join('\n');
}

async function benchMultiDc(n: number, dist: string, work: string): Promise<void> {
  const byDc = multiDcHosts(n);
  const hosts = [...byDc.values()].flat();
  const inventory = join(work, `mdc-${n}.yaml`);
  await labDown(LAB);
  const t0 = performance.now();
  const state = await labUp({ ...LAB, names: hosts, subnet: SUBNET });
  console.log(`\n${n} hosts, multi-DC active-passive in ${byDc.size} datacenters (${[...byDc].map(([dc, h]) => `${dc} ${h.length}`).join(', ')}; lab ${LAB.name}, ${SUBNET}): lab up ${s(performance.now() - t0)}; ${machine()}`);
  writeFileSync(join(work, `mdc-${n}.env`), BENCH_SECRETS);
  writeFileSync(inventory, multiDcInventoryYaml(state, dist, byDc));
  const floor = new OpenSshFloor(LAB, await floorHosts(inventory, state), join(work, 'ssh'));
  console.log(`${floorLine('OpenSSH copy floor', await floor.copy())}; ${machine()}`);
  const cold = await cli(['provision', '-i', inventory], work);
  console.log(`${cliLine('apim-deploy cold provision', cold)}; ${machine()}`);
  if (cold.code !== 0) console.log(cold.tail.replace(/^/gm, '    | '));
  await noopSeries(floor, inventory, work);
}

/** The CLI under GNU time: wall, user + system CPU and peak RSS of the CLI process (sh execs node). */
function cli(args: readonly string[], work: string): Promise<CliFigure> {
  const report = join(work, 'time.txt');
  const machine0 = cpuSample();
  const t0 = performance.now();
  return new Promise((done) => {
    execFile('/usr/bin/time', ['-f', '%U %S %M', '-o', report, join(REPO, 'bin/apim-deploy'), ...args],
      { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 3_600_000 }, (err, stdout, stderr) => {
        const ms = performance.now() - t0;
        const machine = cpuSince(machine0);
        const [user, sys, rssKb] = readFileSync(report, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        done({ ms, cpuMs: (user! + sys!) * 1000, maxRssMb: rssKb! / 1024, code, tail: `${stdout}${stderr}`.trim().split('\n').slice(-8).join('\n'), stdout, machine });
      });
  });
}

const cliLine = (label: string, f: CliFigure) =>
  `  ${label.padEnd(30)} ${s(f.ms).padStart(8)}  CPU ${s(f.cpuMs).padStart(7)}  peak RSS ${f.maxRssMb.toFixed(0).padStart(4)} MB  exit ${f.code}; ${cpuLine(f.machine)}`;
const floorLine = (label: string, f: FloorFigure) => `  ${label.padEnd(30)} ${s(f.ms).padStart(8)}  CPU ${s(f.cpuMs).padStart(7)} (ssh/scp processes); ${cpuLine(f.machine)}`;

/**
 * The no-op floor, the no-op re-run, plan and status, taken in alternation (bench/alternating.ts) for ROUNDS rounds
 * once the machine is quiet (the servers of the cold run settled): each run printed as it comes, then each one's median
 * and its median gap to the floor of the same round.
 */
async function noopSeries(floor: OpenSshFloor, inventory: string, work: string): Promise<void> {
  type Figure = FloorFigure | CliFigure;
  const isCli = (f: Figure): f is CliFigure => 'maxRssMb' in f;
  const command = (label: string, args: string[]): Contender<Figure> => ({ label, run: () => cli([...args, '-i', inventory], work) });
  console.log(`  before the no-op series: ${quietLine(await waitForQuiet())}; ${machine()}`);
  const series = await alternate<Figure>(ROUNDS, { label: 'OpenSSH no-op floor', run: () => floor.noop() }, [
    command('apim-deploy no-op re-run', ['provision']),
    command('apim-deploy plan', ['plan']),
    command('apim-deploy status', ['status', '--json']),
  ], (round, label, f) => {
    console.log(`${isCli(f) ? cliLine(label, f) : floorLine(label, f)}; round ${round + 1}; ${machine()}`);
    if (isCli(f) && f.code !== 0) console.log((label.endsWith('status') ? failingNodes(f.stdout) : f.tail).replace(/^/gm, '    | '));
  });
  const two = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const [floorSeries, ...others] = series;
  console.log(`  medians of ${ROUNDS} rounds: floor ${two(floorSeries!.medianMs)}; ` +
    others.map((x) => `${x.label.replace(/^apim-deploy /, '')} ${two(x.medianMs)} (${gapText(x, two)})`).join(', ') +
    ' (in brackets: the median of each round\'s run minus that round\'s floor)');
}

async function benchSize(n: number, dist: string, work: string): Promise<void> {
  const hosts = scaleHosts(n);
  const inventory = join(work, `scale-${n}.yaml`);
  await labDown(LAB);
  const t0 = performance.now();
  const state = await labUp({ ...LAB, names: hosts, subnet: SUBNET });
  console.log(`\n${n} hosts (pattern 3, ${n - 6} gateways; lab ${LAB.name}, ${SUBNET}): lab up ${s(performance.now() - t0)}; ${machine()}`);
  writeFileSync(join(work, `scale-${n}.env`), BENCH_SECRETS);
  writeFileSync(inventory, inventoryYaml(state, dist, '512m', deployWithSudo(LAB), hosts));

  const floor = new OpenSshFloor(LAB, await floorHosts(inventory, state), join(work, 'ssh'));
  const copy = await floor.copy();
  console.log(`${floorLine('OpenSSH copy floor', copy)}; ${machine()}`);
  const cold = await cli(['provision', '-i', inventory], work);
  console.log(`${cliLine('apim-deploy cold provision', cold)}; ${machine()}`);
  if (cold.code !== 0) console.log(cold.tail.replace(/^/gm, '    | '));
  await noopSeries(floor, inventory, work);

  writeFileSync(inventory, inventoryYaml(state, dist, '384m', deployWithSudo(LAB), hosts));
  const oneChanged = await cli(['provision', '-i', inventory], work);
  console.log(`${cliLine('apim-deploy one gateway changed', oneChanged)}; ${machine()}`);
  if (oneChanged.code !== 0) console.log(oneChanged.tail.replace(/^/gm, '    | '));

  const updated = join(work, `scale-${n}-u12.yaml`);
  writeFileSync(updated, inventoryYaml(state, dist, '384m', deployWithSudo(LAB), hosts).replaceAll('-{version}.zip"', `-{version}.${UPDATE_LEVEL}.zip"`));
  writeFileSync(join(work, `scale-${n}-u12.env`), readFileSync(join(work, `scale-${n}.env`)));
  const rolling = await cli(['upgrade', '-i', updated, '--batch', '25%', '--health-timeout', '180'], work);
  console.log(`${cliLine(`apim-deploy upgrade (u${UPDATE_LEVEL}, 25 %)`, rolling)}; ${machine()}`);
  if (rolling.code !== 0) console.log(rolling.tail.replace(/^/gm, '    | '));
}

/** The nodes `status --json` does not call ok, one line each: what an operator would look at first. */
function failingNodes(json: string): string {
  try {
    const report = JSON.parse(json) as { nodes: { host: string; role: string; ok: boolean; unreachable: string | null; health?: unknown; drift?: unknown[]; version?: string | null }[] };
    return report.nodes.filter((n) => !n.ok).map((n) =>
      `${n.host}/${n.role}: ${n.unreachable ?? `version ${n.version ?? '?'}, drift ${n.drift?.length ?? '?'}, health ${JSON.stringify(n.health).slice(0, 400)}`}`).join('\n') || '(every node ok; the balancers were not all read)';
  } catch {
    return json.trim().split('\n').slice(-8).join('\n');
  }
}

export async function benchScale(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'apim-bench-scale-'));
  try {
    await run('node', [join(REPO, 'scripts/build.mjs')]);
    const dist = join(work, 'dist');
    await buildDistributions({ version: '4.6.0', outDir: dist });
    await buildDistributions({ version: '4.6.0', updateLevel: UPDATE_LEVEL, outDir: dist });
    console.log(`scale: the CLI (bundle) against plain OpenSSH in the same run, per size; ${machine()}`);
    for (const n of SIZES) await benchSize(n, dist, work);
    for (const n of MDC_SIZES) await benchMultiDc(n, dist, work);
  } finally {
    await labDown(LAB);
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchScale();
