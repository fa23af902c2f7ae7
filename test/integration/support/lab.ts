/**
 * A throwaway lab for one test file: its own lab name and /24, never the demo lab. `startLab` tears down what a
 * crashed earlier run left under the same name first (in this clone, or in another clone on this machine); call
 * `lab.down()` in afterAll (it is safe to call twice).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  BASTION_NAME, clientKeyPath, knownHostsPath, labDown, labDownLeftover, labExec, labUp, secretsPath, type LabExecResult, type LabState,
} from '../../../src/lab/hosts/index.js';

export const REPO_ROOT = resolve(import.meta.dirname, '../../..');

export interface TestLab {
  readonly name: string;
  readonly state: LabState;
  /** The client key and known_hosts file the lab wrote (for an inventory's `defaults`). */
  readonly sshKey: string;
  readonly knownHosts: string;
  /** `lab up --sudo-password`: the login user's sudo password (SUDO_PASSWORD in the lab's secrets fragment). */
  readonly sudoPassword?: string;
  /** `lab up --bastion`: the bastion's address on the controller's bridge (`proxy_jump: deploy@ADDRESS:22`). */
  readonly bastion?: string;
  address(host: string): string;
  /** Runs argv inside a host without SSH (nsenter), to look at it from the side. */
  exec(host: string, argv: readonly string[], opts?: { input?: string; timeoutMs?: number }): Promise<LabExecResult>;
  /** `sh -c script` inside a host; throws with stderr when it exits non-zero. */
  sh(host: string, script: string): Promise<string>;
  down(): Promise<void>;
}

export interface StartLabOptions {
  readonly name: string;
  readonly names: readonly string[];
  readonly subnet: string;
  readonly sudoPassword?: boolean;
  /** The bastion's front /24: the hosts sit behind a bastion. */
  readonly bastionSubnet?: string;
  /** Hosts also let root in over SSH with the lab key (for tests of a root login beside deploy + sudo). */
  readonly rootLogin?: boolean;
  /** `lab up --init systemd`: hosts boot with the lab's systemd stand-in. */
  readonly init?: 'systemd';
  /** `lab up --controller-mbit`: the controller's sends into the lab capped at this rate. */
  readonly controllerMbit?: number;
  /** `lab up --forbid-tcp-forwarding`: the hosts' sshd (not a bastion's) allow no TCP forwarding. */
  readonly forbidTcpForwarding?: boolean;
}

export async function startLab(opts: StartLabOptions): Promise<TestLab> {
  const loc = { name: opts.name, projectRoot: REPO_ROOT } as const;
  await labDown(loc);
  const leftover = await labDownLeftover(loc, opts.subnet);
  if (leftover) console.warn(`lab ${opts.name}: took down the leftover lab of the same name in ${leftover}`);
  let state: LabState;
  try {
    state = await labUp({
      ...loc, names: opts.names, subnet: opts.subnet, sudoPassword: opts.sudoPassword ?? false, ...(opts.rootLogin ? { rootLogin: true } : {}), ...(opts.init ? { init: opts.init } : {}),
      ...(opts.controllerMbit ? { controllerMbit: opts.controllerMbit } : {}),
      ...(opts.forbidTcpForwarding ? { forbidTcpForwarding: true } : {}),
      ...(opts.bastionSubnet ? { bastion: true, bastionSubnet: opts.bastionSubnet } : {}),
    });
  } catch (err) {
    await labDown(loc); // a half-started lab: afterAll has no handle to it yet
    throw err;
  }
  const lab: TestLab = {
    name: opts.name,
    state,
    sshKey: clientKeyPath(loc),
    knownHosts: knownHostsPath(loc),
    ...(opts.sudoPassword ? { sudoPassword: /^SUDO_PASSWORD=(.+)$/m.exec(readFileSync(secretsPath(loc), 'utf8'))![1]! } : {}),
    ...(opts.bastionSubnet ? { bastion: state.hosts.find((h) => h.name === BASTION_NAME)!.address } : {}),
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
