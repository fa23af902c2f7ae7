/**
 * A throwaway lab for one test file: its own lab name and /24, never the demo lab. `startLab` tears down what a
 * crashed earlier run left under the same name first; call `lab.down()` in afterAll (it is safe to call twice).
 */
import { resolve } from 'node:path';
import { clientKeyPath, knownHostsPath, labDown, labExec, labUp, type LabExecResult, type LabState } from '../../../src/lab/hosts/index.js';

export const REPO_ROOT = resolve(import.meta.dirname, '../../..');

export interface TestLab {
  readonly name: string;
  readonly state: LabState;
  /** The client key and known_hosts file the lab wrote (for an inventory's `defaults`). */
  readonly sshKey: string;
  readonly knownHosts: string;
  address(host: string): string;
  /** Runs argv inside a host without SSH (nsenter), to look at it from the side. */
  exec(host: string, argv: readonly string[], opts?: { input?: string; timeoutMs?: number }): Promise<LabExecResult>;
  /** `sh -c script` inside a host; throws with stderr when it exits non-zero. */
  sh(host: string, script: string): Promise<string>;
  down(): Promise<void>;
}

export async function startLab(opts: { name: string; names: readonly string[]; subnet: string }): Promise<TestLab> {
  const loc = { name: opts.name, projectRoot: REPO_ROOT } as const;
  await labDown(loc);
  let state: LabState;
  try {
    state = await labUp({ ...loc, names: opts.names, subnet: opts.subnet });
  } catch (err) {
    await labDown(loc); // a half-started lab: afterAll has no handle to it yet
    throw err;
  }
  const lab: TestLab = {
    name: opts.name,
    state,
    sshKey: clientKeyPath(loc),
    knownHosts: knownHostsPath(loc),
    address(host) {
      const h = state.hosts.find((x) => x.name === host);
      if (!h) throw new Error(`lab ${opts.name} has no host ${host}`);
      return h.address;
    },
    exec: (host, argv, o = {}) => labExec(state, host, argv, o),
    async sh(host, script) {
      const r = await labExec(state, host, ['sh', '-c', script]);
      if (r.code !== 0) throw new Error(`${host}: sh -c ${JSON.stringify(script)} exited ${r.code}: ${r.stderr.trim()}`);
      return r.stdout;
    },
    async down() {
      await labDown(loc);
    },
  };
  return lab;
}
