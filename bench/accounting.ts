/**
 * Where the CPU goes (prints numbers, asserts nothing): BSD process accounting (accton(8), dump-acct(8); Debian package
 * `acct`) around four stretches on 8 lab hosts with real-size archives (lab `bench-acct`, 10.213.178.0/24, pattern 3,
 * deploy + sudo, as bench/real-size.ts): plain OpenSSH's copy floor, apim-deploy's cold provision, OpenSSH's no-op
 * floor and apim-deploy's no-op. For each: wall time, the whole machine's CPU (/proc/stat) and the CPU seconds of the
 * commands that ended inside it, summed per command name (the lab hosts run on this kernel, so their sshd, unzip,
 * sudo and JVM threads count; this process, the controller, does not end inside a stretch and is left out). On this
 * 2-core lab a stretch whose machine CPU is near 100 % busy is bound by CPU: its wall time is at least its CPU
 * seconds over 2. Run as root: `npx tsx bench/accounting.ts` (or `npm run bench:acct`). BENCH_REAL_DIST=DIR uses
 * archives already built there (`lab dist --version 4.6.0 --real-size --out-dir DIR`).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildDistributions } from '../src/lab/dist/build.js';
import { labDown, labUp } from '../src/lab/hosts/index.js';
import { floorHosts, OpenSshFloor } from './floors.js';
import { cpuLine, cpuSample, cpuSince } from './machine-cpu.js';
import { cpuByCommand } from './process-accounting.js';
import { phaseLine, provisionPhases } from './phases.js';
import { BENCH_SECRETS, deployWithSudo, HOSTS, inventoryYaml, measuredRun, s } from './provision.js';

const REPO = resolve(import.meta.dirname, '..');
const LAB = { name: 'bench-acct', projectRoot: REPO } as const;
const SUBNET = '10.213.178.0/24';
/** Commands printed per stretch, the costliest first. */
const TOP = 14;

function requireAccounting(): void {
  for (const tool of ['accton', 'dump-acct']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      throw new Error(`${tool} not found: install Debian's acct package (apt-get install acct), then run this as root`);
    }
  }
}

async function accounted(work: string, label: string, fn: () => Promise<string | void>): Promise<void> {
  const file = join(work, `${label.replace(/\W+/g, '-')}.pacct`);
  writeFileSync(file, '', { mode: 0o600 });
  const before = cpuSample();
  const t0 = performance.now();
  execFileSync('accton', [file]);
  let detail: string | void;
  try {
    detail = await fn();
  } finally {
    accountingOff();
  }
  const ms = performance.now() - t0;
  const machine = cpuSince(before);
  const commands = cpuByCommand(execFileSync('dump-acct', [file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }));
  const counted = commands.reduce((n, c) => n + c.cpuSeconds, 0);
  console.log(`\n${label}: ${s(ms)}; ${cpuLine(machine)}; commands that ended inside it: ${counted.toFixed(1)} CPU-s${detail ? `\n  ${detail}` : ''}`);
  for (const c of commands.slice(0, TOP)) console.log(`  ${c.name.padEnd(18)} ${c.cpuSeconds.toFixed(2).padStart(7)} CPU-s in ${c.calls} run(s)`);
}

/** Accounting off, whatever happens: on Ctrl-C too, or the kernel goes on writing every process's record to a file. */
function accountingOff(): void {
  try { execFileSync('accton', ['off'], { stdio: 'ignore' }); } catch { /* not on, or not installed */ }
}

export async function benchAccounting(): Promise<void> {
  requireAccounting();
  const work = mkdtempSync(join(tmpdir(), 'apim-bench-acct-'));
  // A Ctrl-C kills the ssh and scp of a floor at once, so the `finally` below may already be taking things down when
  // the signal reaches this process (and tsx passes it on a second time): the listener stays until that is done, or
  // the signal's default would end the process with accounting on and the lab up.
  let cleaning = false;
  const interrupted = (signal: NodeJS.Signals) => {
    if (cleaning) return;
    cleaning = true;
    accountingOff();
    rmSync(work, { recursive: true, force: true });
    console.error(`${signal}: accounting off; lab ${LAB.name} stays up until the next run takes it down (or \`lab down --name ${LAB.name}\`)`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('SIGINT', interrupted);
  process.on('SIGTERM', interrupted);
  const inventory = join(work, 'acct.yaml');
  try {
    const prebuilt = process.env['BENCH_REAL_DIST'];
    const dist = prebuilt ? resolve(prebuilt) : join(work, 'dist');
    if (!prebuilt) await buildDistributions({ version: '4.6.0', outDir: dist, realSize: true });
    await labDown(LAB);
    const state = await labUp({ ...LAB, names: HOSTS, subnet: SUBNET });
    writeFileSync(join(work, 'acct.env'), BENCH_SECRETS);
    writeFileSync(inventory, inventoryYaml(state, dist, '512m', deployWithSudo(LAB)));
    console.log(`process accounting: pattern 3 on ${HOSTS.length} lab hosts (lab ${LAB.name}, ${SUBNET}), real-size archives from ${dist}, deploy + sudo`);
    const floor = new OpenSshFloor(LAB, await floorHosts(inventory, state), join(work, 'ssh'));
    await accounted(work, 'OpenSSH copy floor', async () => { await floor.copy(); });
    await accounted(work, 'apim-deploy cold provision', async () => {
      const cold = await measuredRun('cold', inventory);
      return `exit ${cold.exitCode}; waves: ${cold.waves.join(', ')}`;
    });
    await accounted(work, 'OpenSSH no-op floor', async () => { await floor.noop(); });
    await accounted(work, 'apim-deploy no-op', async () => phaseLine(await provisionPhases(inventory), s));
  } finally {
    cleaning = true;
    accountingOff();
    await labDown(LAB);
    rmSync(work, { recursive: true, force: true });
    process.removeListener('SIGINT', interrupted);
    process.removeListener('SIGTERM', interrupted);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchAccounting();
