/**
 * What enterprise access costs (prints figures, asserts nothing): pattern 3 on 8 lab hosts logged in three ways,
 * side by side: root directly (the lab lets root in for this baseline only), deploy with password-less sudo
 * directly (the lab's default), and deploy with a sudo password through a bastion. For each: cold provision, no-op
 * re-run, SSH connections per run (targets and bastion), opening the 8 connections with the become check, and the
 * mean of one command over an open connection. Lab `bench-acc`, 10.213.246.0/24 (bastion front 10.213.247.0/24).
 * Run as root: `npx tsx bench/access.ts` (or `npm run bench`).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildDistributions } from '../src/lab/dist/build.js';
import { BASTION_NAME, clientKeyPath, knownHostsPath, labDown, labUp, secretsPath, type LabState } from '../src/lab/hosts/index.js';
import { loadInventory } from '../src/inventory/load.js';
import { closeAll, ConnectionCounter, openTransports } from '../src/transport/open.js';
import { BENCH_SECRETS, HOSTS, inventoryYaml, measuredRun, s } from './provision.js';

const REPO = resolve(import.meta.dirname, '..');
const LAB = { name: 'bench-acc', projectRoot: REPO } as const;
const SUBNET = '10.213.246.0/24';
const FRONT = '10.213.247.0/24';
const COMMANDS = 20;

interface Mode {
  readonly label: string;
  readonly lab: { rootLogin?: boolean; sudoPassword?: boolean; bastion?: boolean };
  readonly login: (state: LabState) => string;
}

const keys = `port: 22, ssh_key: "${clientKeyPath(LAB)}", known_hosts: "${knownHostsPath(LAB)}"`;
const MODES: readonly Mode[] = [
  { label: 'root direct', lab: { rootLogin: true }, login: () => `{ user: root, ${keys} }` },
  { label: 'deploy + sudo', lab: {}, login: () => `{ user: deploy, become: sudo, ${keys} }` },
  {
    label: 'deploy + sudo pw + bastion', lab: { sudoPassword: true, bastion: true },
    login: (st) => `{ user: deploy, become: sudo, become_password: "\${SUDO_PASSWORD}", proxy_jump: "deploy@${st.hosts.find((h) => h.name === BASTION_NAME)!.address}:22", ${keys} }`,
  },
];

interface ModeFigures {
  readonly cold: number;
  readonly noop: number;
  readonly noopExit: number;
  readonly connectMs: number;
  readonly commandMs: number;
  readonly targets: number;
  readonly jumps: number;
}

/** Opening every connection (with the become check), then COMMANDS sequential commands on one of them. */
async function connectAndCommand(inventory: string): Promise<{ connectMs: number; commandMs: number }> {
  const inv = await loadInventory(inventory);
  const start = performance.now();
  const map = await openTransports(inv.hosts, { counter: new ConnectionCounter(), sshConfig: false });
  const connectMs = performance.now() - start;
  try {
    const t = map.get('gw-1');
    if (!t || t instanceof Error) throw t ?? new Error('no gw-1');
    const t0 = performance.now();
    for (let i = 0; i < COMMANDS; i++) await t.exec({ argv: ['true'] });
    return { connectMs, commandMs: (performance.now() - t0) / COMMANDS };
  } finally {
    await closeAll(map);
  }
}

async function measure(mode: Mode, dist: string, work: string): Promise<ModeFigures> {
  await labDown(LAB);
  const state = await labUp({ ...LAB, names: HOSTS, subnet: SUBNET, ...mode.lab, ...(mode.lab.bastion ? { bastionSubnet: FRONT } : {}) });
  const inventory = join(work, 'access.yaml');
  const sudo = mode.lab.sudoPassword ? readFileSync(secretsPath(LAB), 'utf8').match(/^SUDO_PASSWORD=.*$/m)![0] : '';
  writeFileSync(join(work, 'access.env'), `${BENCH_SECRETS}${sudo}\n`);
  writeFileSync(inventory, inventoryYaml(state, dist, '512m', mode.login(state)));
  const counter = new ConnectionCounter();
  const cold = await measuredRun('cold', inventory, counter);
  const noopCounter = new ConnectionCounter();
  const noop = await measuredRun('no-op re-run', inventory, noopCounter);
  for (const f of [...cold.failures, ...noop.failures]) console.log(`    ${mode.label}: FAILED ${f}`);
  const targets = HOSTS.reduce((n, h) => n + noopCounter.forHost(h), 0);
  const { connectMs, commandMs } = await connectAndCommand(inventory);
  return { cold: cold.totalMs, noop: noop.totalMs, noopExit: noop.exitCode, connectMs, commandMs, targets, jumps: noopCounter.total - targets };
}

export async function benchAccess(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'apim-bench-acc-'));
  try {
    const dist = join(work, 'dist');
    await buildDistributions({ version: '4.6.0', outDir: dist });
    const figures: ModeFigures[] = [];
    for (const mode of MODES) figures.push(await measure(mode, dist, work));
    const row = (name: string, cell: (f: ModeFigures) => string) =>
      console.log(`  ${name.padEnd(46)}${figures.map((f) => cell(f).padStart(28)).join('')}`);
    console.log(`\naccess: pattern 3 on ${HOSTS.length} lab hosts (lab ${LAB.name}), in-process, the same machine and minute`);
    row('', (f) => MODES[figures.indexOf(f)]!.label);
    row('cold provision', (f) => s(f.cold));
    row('no-op re-run', (f) => `${s(f.noop)} (exit ${f.noopExit})`);
    row('SSH connections per run: targets + jump hosts', (f) => `${f.targets} + ${f.jumps}`);
    row(`open ${HOSTS.length} connections (+ become check)`, (f) => s(f.connectMs));
    row(`one command on an open connection (mean of ${COMMANDS})`, (f) => `${f.commandMs.toFixed(1)} ms`);
  } finally {
    await labDown(LAB);
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchAccess();
