/**
 * The set-up every lab test file shares: a workspace with the simulated distributions, a lab of its own (name and
 * /24), both brought up before the file's tests and torn down after them, also when the set-up failed half way.
 *
 *   const lab = useLab({ workspace: 'apim-x', lab: { name: 't-x', names: ['cp-1', 'gw-1'], subnet: '10.213.250.0/24' } });
 *   beforeAll(() => { files = lab.deploy(spec); });   // runs after the lab is up
 *   lab.address('gw-1'); lab.sh('gw-1', 'cat /etc/hostname'); lab.ws.distDir;
 */
import { afterAll, beforeAll } from 'vitest';
import { buildDistributions } from '../../../src/lab/dist/build.js';
import { parseRelease } from '../../support/release-label.js';
import { writeDeployment, type DeploymentFiles, type DeploymentSpec } from './inventory.js';
import { startLab, type StartLabOptions, type TestLab } from './lab.js';
import { makeWorkspace, type Workspace } from './workspace.js';

export interface LabFixtureOptions {
  /** Prefix of the workspace's temp dir. */
  readonly workspace: string;
  /** Releases to build simulated distributions for (default 4.6.0): `4.6.0`, or `4.6.0.12` for an update level. */
  readonly versions?: readonly string[];
  readonly lab: StartLabOptions;
}

/** The lab (as TestLab) with its workspace, and `deploy` to write an inventory and .env for it. */
export interface LabFixture extends TestLab {
  readonly ws: Workspace;
  deploy(spec: DeploymentSpec): DeploymentFiles;
}

/** Lab hosts start in parallel but share a busy machine: generous, it only ends a set-up that hangs. */
const SETUP_TIMEOUT_MS = 300_000;
const TEARDOWN_TIMEOUT_MS = 180_000;

export function useLab(opts: LabFixtureOptions): LabFixture {
  let lab: TestLab | undefined;
  let ws: Workspace | undefined;
  const up = (): TestLab => {
    if (!lab) throw new Error(`lab ${opts.lab.name} is not up (its set-up failed: see the beforeAll error)`);
    return lab;
  };
  const workspace = (): Workspace => {
    if (!ws) throw new Error(`the workspace of lab ${opts.lab.name} is not ready (its set-up failed: see the beforeAll error)`);
    return ws;
  };

  beforeAll(async () => {
    const [first, ...more] = opts.versions ?? ['4.6.0'];
    ws = await makeWorkspace(opts.workspace, { version: first! });
    for (const release of more) await buildDistributions({ ...parseRelease(release), outDir: ws.distDir });
    lab = await startLab(opts.lab);
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    try {
      await lab?.down();
    } finally {
      ws?.cleanup();
    }
  }, TEARDOWN_TIMEOUT_MS);

  return {
    name: opts.lab.name,
    get state() { return up().state; },
    get sshKey() { return up().sshKey; },
    get knownHosts() { return up().knownHosts; },
    get bastion() { return up().bastion; },
    get ws() { return workspace(); },
    address: (host) => up().address(host),
    exec: (host, argv, o) => up().exec(host, argv, o),
    sh: (host, script) => up().sh(host, script),
    down: async () => lab?.down(),
    deploy: (spec) => writeDeployment(spec, up(), workspace()),
  };
}
