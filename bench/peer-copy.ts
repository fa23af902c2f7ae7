/**
 * Thin controller link (issue 13; prints numbers, asserts nothing): cold provision of pattern 3 on 8 lab hosts
 * (lab `bench-peer`, 10.213.209.0/24, deploy + sudo) with the archives padded to real sizes (`lab dist --real-size`)
 * and the controller's link capped (`lab up --controller-mbit`, default 100), once with every artifact sent from the
 * controller (--no-peer-copy) and once with peer copy, each on fresh hosts. Per run: wall time, the staging wave,
 * and the bytes the controller sent into the lab (the bridge's tx counter: the capped direction).
 * Run as root: `npx tsx bench/peer-copy.ts` (`npm run bench:peer`). BENCH_REAL_DIST=DIR uses archives already built
 * there (`lab dist --version 4.6.0 --real-size --out-dir DIR`); BENCH_PEER_MBIT sets the cap.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildDistributions } from '../src/lab/dist/build.js';
import { controllerTxBytes, labDown, labUp } from '../src/lab/hosts/index.js';
import { BENCH_SECRETS, deployWithSudo, HOSTS, inventoryYaml, measuredRun, s, type RunFigures } from './provision.js';

const REPO = resolve(import.meta.dirname, '..');
const LAB = { name: 'bench-peer', projectRoot: REPO } as const;
const SUBNET = '10.213.209.0/24';
const MB = 1024 * 1024;

interface PeerFigures {
  readonly run: RunFigures;
  readonly sentBytes: number;
}

async function coldRun(label: string, dist: string, work: string, mbit: number, peerCopy: boolean): Promise<PeerFigures> {
  await labDown(LAB);
  const state = await labUp({ ...LAB, names: HOSTS, subnet: SUBNET, controllerMbit: mbit });
  const inventory = join(work, `${peerCopy ? 'peer' : 'controller'}.yaml`);
  writeFileSync(join(work, `${peerCopy ? 'peer' : 'controller'}.env`), BENCH_SECRETS);
  writeFileSync(inventory, inventoryYaml(state, dist, '512m', deployWithSudo(LAB)));
  const before = await controllerTxBytes(state.bridge);
  const run = await measuredRun(label, inventory, undefined, { peerCopy });
  return { run, sentBytes: (await controllerTxBytes(state.bridge)) - before };
}

export async function benchPeerCopy(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'apim-bench-peer-'));
  const mbit = Number(process.env['BENCH_PEER_MBIT'] ?? 100);
  try {
    const prebuilt = process.env['BENCH_REAL_DIST'];
    const dist = prebuilt ? resolve(prebuilt) : join(work, 'dist');
    if (!prebuilt) await buildDistributions({ version: '4.6.0', outDir: dist, realSize: true });
    console.log(`peer copy: pattern 3 on ${HOSTS.length} lab hosts (lab ${LAB.name}, ${SUBNET}), deploy + sudo, real-size archives, controller link capped at ${mbit} Mbit/s; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    const rows: [string, PeerFigures][] = [];
    for (const [label, peer] of [['cold, all from the controller', false], ['cold, peer copy', true]] as const) {
      const f = await coldRun(label, dist, work, mbit, peer);
      rows.push([label, f]);
      console.log(`  ${label.padEnd(32)} ${s(f.run.totalMs).padStart(9)}  exit ${f.run.exitCode}  sent over the controller link ${(f.sentBytes / MB).toFixed(0)} MB  waves: ${f.run.waves.join(', ')}`);
      if (f.run.failures.length > 0) console.log(`    failures: ${f.run.failures.join('; ')}`);
      console.log(`    steps by kind (summed over hosts): ${f.run.kinds.join(', ')}`);
    }
    console.log([
      '',
      `  ${'run'.padEnd(32)} ${'wall'.padStart(9)} ${'controller link (MB)'.padStart(20)} ${'stage wave'.padStart(12)}`,
      ...rows.map(([label, f]) => `  ${label.padEnd(32)} ${s(f.run.totalMs).padStart(9)} ${(f.sentBytes / MB).toFixed(0).padStart(20)} ${(f.run.waves.find((w) => w.startsWith('stage ')) ?? '').replace('stage ', '').padStart(12)}`),
      `  (load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')})`,
    ].join('\n'));
  } finally {
    await labDown(LAB);
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchPeerCopy();
