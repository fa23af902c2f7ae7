/**
 * Provision figures (prints numbers, asserts nothing): pattern 3 on 8 lab hosts of its own lab (`bench-prov`,
 * 10.213.240.0/24), logged in as the lab's deploy user with sudo: cold, no-op re-run, one gateway's variable changed; SSH connections per host per run; bytes
 * uploaded per run (artifacts and files, from the upload steps that changed something). The workflows run in-process
 * so tsx start-up is not counted; the CLI's wall time for a no-op run and for status is printed apart.
 * Run as root: `npx tsx bench/provision.ts` (or `npm run bench` for every figure).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildDistributions } from '../src/lab/dist/build.js';
import { clientKeyPath, knownHostsPath, labDown, labUp, type LabState } from '../src/lab/hosts/index.js';
import type { RunEvent } from '../src/model/events.js';
import type { Step } from '../src/model/plan.js';
import { ConnectionCounter } from '../src/transport/open.js';
import { executePlanned } from '../src/workflows/provision.js';
import { openPlannedRun } from '../src/workflows/run/planned-run.js';
import { cpuLine, cpuSample, cpuSince, type CpuSample } from './machine-cpu.js';

const REPO = resolve(import.meta.dirname, '..');
const LAB = { name: 'bench-prov', projectRoot: REPO } as const;
const SUBNET = '10.213.240.0/24';
export const HOSTS = ['cp-1', 'cp-2', 'tm-1', 'tm-2', 'gw-1', 'gw-2', 'lb-1', 'db-1'];

export interface RunFigures {
  readonly label: string;
  readonly exitCode: number;
  /** Load, render, hash, connect, facts, plan. */
  readonly prepareMs: number;
  readonly executeMs: number;
  readonly totalMs: number;
  readonly changedSteps: number;
  readonly restarted: readonly string[];
  readonly connectionsPerHost: readonly number[];
  readonly artifactBytes: number;
  readonly fileBytes: number;
  /** `host kind: message` of each failed step, so a bad figure explains itself. */
  readonly failures: readonly string[];
  /** `label duration (machine CPU)` of each wave, to see where a cold run's time goes and whether the CPU bound it. */
  readonly waves: readonly string[];
  /** Per step kind: the time its steps took, summed over hosts, and the longest one (hosts run in parallel). */
  readonly kinds: readonly string[];
}

/** How the bench logs in: the lab's default (deploy, password-less sudo, direct) unless a caller says otherwise. */
export type Login = (lab: { readonly name: string; readonly projectRoot: string }) => string;
export const deployWithSudo: Login = (lab) => `{ user: deploy, become: sudo, port: 22, ssh_key: "${clientKeyPath(lab)}", known_hosts: "${knownHostsPath(lab)}" }`;

/** The dotenv beside every bench inventory: the secrets inventoryYaml's `${...}` names. */
export const BENCH_SECRETS = 'ADMIN_PASSWORD=bench-Admin-pw1\nKEYSTORE_PASSWORD=wso2carbon\nTRUSTSTORE_PASSWORD=wso2carbon\nDB_PASSWORD=bench-Db-pw1\n';

/** Pattern 3 over `hosts` (roles by name prefix: cp-, tm-, gw-, lb-, db-); the bench's 8 unless a caller says more. */
export function inventoryYaml(state: LabState, dist: string, gatewayHeap: string, login = deployWithSudo(LAB), hosts: readonly string[] = HOSTS): string {
  const address = (h: string) => state.hosts.find((x) => x.name === h)!.address;
  const role = (prefix: string) => `[${hosts.filter((h) => h.startsWith(prefix)).join(', ')}]`;
  return [
    'name: bench-prov', 'pattern: 3', 'apim:', '  version: 4.6.0', '  distributions:',
    `    acp: { path: "${dist}/wso2am-acp-{version}.zip" }`,
    `    universal-gw: { path: "${dist}/wso2am-universal-gw-{version}.zip" }`,
    `    tm: { path: "${dist}/wso2am-tm-{version}.zip" }`,
    `  jdk: { path: "${dist}/jdk-17.tar.gz" }`,
    `  jdbc_driver: { path: "${dist}/jdbc-postgresql-sim.jar" }`,
    `defaults: ${login}`,
    'vars:',
    '  admin_password: ${ADMIN_PASSWORD}', '  keystore_password: ${KEYSTORE_PASSWORD}', '  truststore_password: ${TRUSTSTORE_PASSWORD}',
    '  database: { type: postgresql, host: db-1, user: apimadmin, password: "${DB_PASSWORD}" }',
    '  jvm_heap: 512m',
    'hosts:',
    ...hosts.map((h) => `  ${h}: { address: ${address(h)}${h === 'gw-1' ? `, vars: { jvm_heap: ${gatewayHeap} }` : ''} }`),
    'roles:',
    `  control-plane: ${role('cp-')}`, `  traffic-manager: ${role('tm-')}`, `  gateway: ${role('gw-')}`, `  load-balancer: ${role('lb-')}`, `  database: ${role('db-')}`,
    '',
  ].join('\n');
}

const elapsed = (since: bigint): number => Number(process.hrtime.bigint() - since) / 1e6;

/** One provision in-process, with a fresh connection counter and the bytes its changed upload steps sent. */
export async function measuredRun(label: string, inventory: string, counter = new ConnectionCounter(), opts: { verify?: boolean; peerCopy?: boolean } = {}): Promise<RunFigures> {
  const events: RunEvent[] = [];
  const waveCpu = new Map<number, CpuSample>();
  const waveMachine = new Map<number, string>();
  const onEvent = (e: RunEvent): void => {
    events.push(e);
    if (e.type === 'wave-start') waveCpu.set(e.index, cpuSample());
    const before = e.type === 'wave-end' ? waveCpu.get(e.index) : undefined;
    if (e.type === 'wave-end' && before) waveMachine.set(e.index, cpuLine(cpuSince(before)));
  };
  const start = process.hrtime.bigint();
  const prepared = await openPlannedRun({ inventory, counter, ...(opts.verify ? { verify: true } : {}), ...(opts.peerCopy === false ? { peerCopy: false } : {}) });
  const prepareMs = elapsed(start);
  const execStart = process.hrtime.bigint();
  let exitCode: number;
  try {
    exitCode = (await executePlanned(prepared, prepared.plan, { inventory, onEvent })).exitCode;
  } finally {
    await prepared.ctx.close();
  }
  const executeMs = elapsed(execStart);
  const steps = new Map<string, Step>(prepared.plan.waves.flatMap((w) => w.steps.map((s): [string, Step] => [s.id, s])));
  let artifactBytes = 0;
  let fileBytes = 0;
  let changedSteps = 0;
  const restarted: string[] = [];
  const failures: string[] = [];
  const waves: string[] = [];
  const byKind = new Map<string, { sum: number; max: number; n: number }>();
  for (const e of events) {
    if (e.type === 'wave-end') waves.push(`${e.label} ${s(e.durationMs)}${waveMachine.has(e.index) ? ` (${waveMachine.get(e.index)!})` : ''}`);
    if (e.type === 'step-end') {
      const k = byKind.get(e.kind) ?? { sum: 0, max: 0, n: 0 };
      byKind.set(e.kind, { sum: k.sum + e.durationMs, max: Math.max(k.max, e.durationMs), n: k.n + 1 });
    }
    if (e.type === 'step-end' && e.status === 'failed') failures.push(`${e.host} ${e.kind}: ${e.error?.message ?? e.reason}`);
    if (e.type !== 'step-end' || e.status !== 'changed') continue;
    changedSteps++;
    const step = steps.get(e.stepId);
    if (step?.kind === 'upload-artifact' || step?.kind === 'peer-fetch') artifactBytes += step.size;
    if (step?.kind === 'upload-file') fileBytes += Buffer.byteLength(prepared.ctx.contents.get(step.sha256)?.content ?? '');
    if (step?.kind === 'start-component') restarted.push(`${step.host}/${step.component}`);
  }
  return {
    label, exitCode, prepareMs, executeMs, totalMs: elapsed(start), changedSteps, restarted,
    connectionsPerHost: HOSTS.map((h) => counter.forHost(h)), artifactBytes, fileBytes, failures, waves,
    kinds: [...byKind].sort((a, b) => b[1].sum - a[1].sum).map(([kind, k]) => `${kind} ${s(k.sum)} in ${k.n} (longest ${s(k.max)})`),
  };
}

export function cliWallMs(args: string[]): Promise<{ ms: number; code: number }> {
  const start = process.hrtime.bigint();
  return new Promise((done) => {
    execFile(join(REPO, 'bin/apim-deploy'), args, { encoding: 'utf8', timeout: 300_000 }, (err) =>
      done({ ms: elapsed(start), code: err ? (typeof err.code === 'number' ? err.code : -1) : 0 }));
  });
}

export const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

export function print(r: RunFigures): void {
  const conns = [...new Set(r.connectionsPerHost)].join('/');
  console.log(
    `  ${r.label.padEnd(22)} ${s(r.totalMs).padStart(8)} (prepare ${s(r.prepareMs)}, execute ${s(r.executeMs)})  exit ${r.exitCode}  ` +
      `changed steps ${String(r.changedSteps).padStart(3)}  SSH connections per host ${conns}  ` +
      `uploaded: artifacts ${kb(r.artifactBytes)}, files ${kb(r.fileBytes)}` +
      (r.restarted.length && r.restarted.length < HOSTS.length ? `  (started: ${r.restarted.join(', ')})` : ''),
  );
  if (r.label === 'cold') {
    console.log(`    waves: ${r.waves.join(', ')}`);
    console.log(`    steps by kind (summed over hosts): ${r.kinds.join(', ')}`);
  }
  for (const f of r.failures) console.log(`    FAILED ${f}`);
}

export async function benchProvision(): Promise<RunFigures[]> {
  const work = mkdtempSync(join(tmpdir(), 'apim-bench-prov-'));
  const inventory = join(work, 'bench.yaml');
  try {
    await labDown(LAB);
    const state = await labUp({ ...LAB, names: HOSTS, subnet: SUBNET });
    const dist = join(work, 'dist');
    await buildDistributions({ version: '4.6.0', outDir: dist });
    writeFileSync(join(work, 'bench.env'), BENCH_SECRETS);
    writeFileSync(inventory, inventoryYaml(state, dist, '512m'));

    console.log(`provision: pattern 3 on ${HOSTS.length} lab hosts (lab ${LAB.name}, ${SUBNET}), in-process`);
    const runs: RunFigures[] = [];
    runs.push(await measuredRun('cold', inventory));
    print(runs.at(-1)!);
    runs.push(await measuredRun('no-op re-run', inventory));
    print(runs.at(-1)!);
    writeFileSync(inventory, inventoryYaml(state, dist, '640m'));
    runs.push(await measuredRun('one gateway changed', inventory));
    print(runs.at(-1)!);
    runs.push(await measuredRun('no-op after the change', inventory));
    print(runs.at(-1)!);

    const cliNoop = await cliWallMs(['provision', '-i', inventory]);
    const cliStatus = await cliWallMs(['status', '-i', inventory]);
    console.log(`  CLI wall time (bin/apim-deploy, start-up included): provision no-op ${s(cliNoop.ms)} (exit ${cliNoop.code}), ` +
      `status ${s(cliStatus.ms)} (exit ${cliStatus.code})`);
    return runs;
  } finally {
    await labDown(LAB);
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchProvision();
