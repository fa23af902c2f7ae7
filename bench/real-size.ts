/**
 * Real-size figures (prints numbers, asserts nothing): pattern 3 on 8 lab hosts (lab `bench-real`,
 * 10.213.241.0/24, deploy + sudo) with the simulated archives padded to real sizes (`lab dist --real-size`: acp
 * 450 MB, universal-gw 280 MB, tm 200 MB, JDK 195 MB), side by side in one run with plain OpenSSH doing the same
 * work over one multiplexed connection per host, all hosts in parallel:
 *   copy floor   scp of the archives each host needs + a remote sha256sum of each
 *   no-op floor  one command per host: sha256sum of the node's config files (through sudo)
 * and apim-deploy: cold provision, no-op re-run, plan (dry run), no-op with --verify (everything re-hashed), and the
 * controller's hashing cold and cached, status, where a no-op's time goes, phase by phase, then the CLI's no-op, plan
 * and status (start-up included) and a no-op in this process, in alternation with the no-op floor once the machine is
 * quiet (bench/alternating.ts, BENCH_REAL_ROUNDS rounds, default 5). Run as root: `npx tsx bench/real-size.ts` (or
 * `npm run bench`). BENCH_REAL_DIST=DIR uses archives already built there (`lab dist --version 4.6.0 --real-size
 * --out-dir DIR`), so the lab is held only while it is measured.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildDistributions } from '../src/lab/dist/build.js';
import { labDown, labUp } from '../src/lab/hosts/index.js';
import { dryRun } from '../src/workflows/plan.js';
import { Sha256Cache } from '../src/workflows/run/sha256-cache.js';
import { deploymentStatus } from '../src/workflows/status.js';
import { alternate, gapText, type Series, type Timed } from './alternating.js';
import { floorHosts, OpenSshFloor, run } from './floors.js';
import { cpuLine, quietLine, waitForQuiet } from './machine-cpu.js';
import { phaseLine, provisionPhases, type Phases } from './phases.js';
import { BENCH_SECRETS, cliWallMs, deployWithSudo, HOSTS, inventoryYaml, measuredRun, print, s } from './provision.js';

const REPO = resolve(import.meta.dirname, '..');
const LAB = { name: 'bench-real', projectRoot: REPO } as const;
const SUBNET = '10.213.177.0/24';
/** Rounds of the no-op floor, no-op, plan and status in alternation (BENCH_REAL_ROUNDS, default 5). */
const ROUNDS = Number(process.env['BENCH_REAL_ROUNDS'] ?? 5);

const time = async (work: () => Promise<unknown>): Promise<number> => {
  const t0 = performance.now();
  await work();
  return performance.now() - t0;
};

export async function benchRealSize(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'apim-bench-real-'));
  const inventory = join(work, 'real.yaml');
  const control = join(work, 'ssh');
  try {
    // The CLI runs from its bundle, as an operator's does (bin/apim-deploy falls back to tsx when the bundle is stale).
    await run('node', [join(REPO, 'scripts/build.mjs')]);
    const prebuilt = process.env['BENCH_REAL_DIST'];
    const dist = prebuilt ? resolve(prebuilt) : join(work, 'dist');
    const buildMs = prebuilt ? 0 : await time(() => buildDistributions({ version: '4.6.0', outDir: dist, realSize: true }));
    await labDown(LAB);
    const state = await labUp({ ...LAB, names: HOSTS, subnet: SUBNET });
    writeFileSync(join(work, 'real.env'), BENCH_SECRETS);
    writeFileSync(inventory, inventoryYaml(state, dist, '512m', deployWithSudo(LAB)));
    console.log(`real-size archives: pattern 3 on ${HOSTS.length} lab hosts (lab ${LAB.name}, ${SUBNET}), deploy + sudo; ${prebuilt ? `archives from ${dist}` : `archives built in ${s(buildMs)}`}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);

    const perHost = await floorHosts(inventory, state);
    const floor = new OpenSshFloor(LAB, perHost, control);
    const copy = await floor.copy();
    const copyFloor = copy.ms;
    console.log(`  copy floor ${s(copyFloor)}: ${cpuLine(copy.machine)}`);

    const cacheFile = join(work, 'sha256.json');
    const files = perHost.flatMap((h) => h.artifacts.map((a) => a.local)).filter((f, i, all) => all.indexOf(f) === i);
    const hashCold = await time(async () => {
      const c = new Sha256Cache(cacheFile);
      for (const f of files) await c.hash(f);
      c.save();
    });
    const hashCached = await time(async () => {
      const c = new Sha256Cache(cacheFile);
      for (const f of files) await c.hash(f);
    });

    const cold = await measuredRun('cold', inventory);
    print(cold);
    const noop = await measuredRun('no-op re-run (in-process)', inventory);
    print(noop);
    const planMs = await time(() => dryRun({ inventory }));
    const verify = await measuredRun('no-op, --verify', inventory, undefined, { verify: true });
    print(verify);
    let statusOk = false;
    const statusMs = await time(async () => { statusOk = (await deploymentStatus({ inventory })).ok; });
    console.log(`  in-process: plan ${s(planMs)}, status ${s(statusMs)} (${statusOk ? 'all ok' : 'NOT all ok'})`);

    // What an operator waits for (bin/apim-deploy, start-up included), in alternation with the floor; and a no-op in
    // this process, already started, which tells the CLI's start-up from the run.
    const command = (label: string, args: string[]) => ({ label, run: () => cliWallMs([...args, '-i', inventory]) });
    console.log(`  before the series: ${quietLine(await waitForQuiet())}`);
    // The in-process no-op is timed phase by phase (bench/phases.ts): each round prints where its time went.
    const inProcess = async () => {
      const phases = await provisionPhases(inventory);
      return { ms: phases.totalMs, code: phases.exitCode, phases };
    };
    const [noopFloor, cliNoop, cliPlan, cliStatus, noopInProcess] = await alternate<{ readonly ms: number; readonly code?: number; readonly phases?: Phases }>(ROUNDS,
      { label: 'no-op floor', run: () => floor.noop() },
      [command('no-op re-run', ['provision']), command('plan', ['plan']), command('status', ['status']), { label: 'no-op in process', run: inProcess }],
      (round, label, f) => console.log(`  round ${round + 1}: ${label} ${s(f.ms)}${f.code !== undefined ? ` (exit ${f.code})` : ''}${f.phases ? `; ${phaseLine(f.phases, s)}` : ''}`));
    const gap = (x: Series<Timed>) => gapText(x, s);
    const floorCell = `${s(noopFloor!.medianMs)}`.padStart(28);
    console.log([
      '',
      `  ${'run'.padEnd(44)} ${'apim-deploy'.padStart(12)} ${'plain OpenSSH, same bytes'.padStart(28)}`,
      `  ${'cold provision'.padEnd(44)} ${s(cold.totalMs).padStart(12)} ${`${s(copyFloor)} (copy + sha256 only)`.padStart(28)}`,
      `  ${`no-op re-run, CLI (median of ${ROUNDS})`.padEnd(44)} ${s(cliNoop!.medianMs).padStart(12)} ${floorCell}  gap ${gap(cliNoop!)}`,
      `  ${`plan, CLI (median of ${ROUNDS})`.padEnd(44)} ${s(cliPlan!.medianMs).padStart(12)} ${floorCell}  gap ${gap(cliPlan!)}`,
      `  ${`status, CLI (median of ${ROUNDS})`.padEnd(44)} ${s(cliStatus!.medianMs).padStart(12)} ${floorCell}  gap ${gap(cliStatus!)}`,
      `  ${`no-op re-run, in process (median of ${ROUNDS})`.padEnd(44)} ${s(noopInProcess!.medianMs).padStart(12)} ${floorCell}  gap ${gap(noopInProcess!)}`,
      `  ${'no-op re-run --verify (re-hashes everything)'.padEnd(44)} ${s(verify.totalMs).padStart(12)} ${'—'.padStart(28)}`,
      '  (gap: the median over the rounds of the run minus the floor of its round)',
      `  ${`controller sha256 of the ${files.length} archives`.padEnd(44)} ${`${s(hashCold)} cold, ${s(hashCached)} cached`.padStart(12)}`,
      `  (load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')})`,
    ].join('\n'));
  } finally {
    await labDown(LAB);
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchRealSize();
