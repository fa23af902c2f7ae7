/**
 * A lab left behind by a run killed in another clone on this machine. CI clones the project afresh on the machine a
 * developer uses, so a test lab a killed run left (same name, same bridge, same /24) met the next run's and failed it
 * ("network interface br-t-fault exists but this lab did not create it"). Now a lab bridge names its owner's state
 * directory, `lab up` points at it, and the test helper takes such a leftover down first.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import {
  bridgeName, labDown, labDownLeftover, labUp, stateDir, statePath, type LabState,
} from '../../src/lab/hosts/index.js';
import { REPO_ROOT, startLab, type TestLab } from './support/lab.js';

const run = promisify(execFile);
const NAME = 't-left';
const SUBNET = '10.213.171.0/24';
/** Stands for another clone of the project: its own project root, so its own `.lab/<name>` state directory. */
const otherClone = mkdtempSync(join(tmpdir(), 'apim-other-clone-'));
const FOREIGN = 'br-t-nolab';

let lab: TestLab | undefined;

async function alias(link: string): Promise<string> {
  const { stdout } = await run('ip', ['-j', 'link', 'show', 'dev', link]);
  return (JSON.parse(stdout) as { ifalias?: string }[])[0]?.ifalias ?? '';
}

async function linkExists(link: string): Promise<boolean> {
  return run('ip', ['link', 'show', 'dev', link]).then(() => true, () => false);
}

/** Running and not a zombie: a killed host's sshd stays in the process table until its new parent reaps it. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !stat.slice(stat.lastIndexOf(') ') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

afterAll(async () => {
  await lab?.down();
  await labDown({ name: NAME, projectRoot: otherClone });
  await run('ip', ['link', 'del', FOREIGN]).catch(() => undefined);
  rmSync(otherClone, { recursive: true, force: true });
});

describe('a lab left by another clone on this machine', () => {
  it('lab up names the other lab\'s state directory; the test helper takes that lab down and starts its own', async () => {
    const other = { name: NAME, projectRoot: otherClone } as const;
    const leftover: LabState = await labUp({ ...other, names: ['host-1'], subnet: SUBNET });
    expect(await alias(bridgeName(NAME))).toBe(`apim-deploy-lab:${stateDir(other)}`);

    const here = { name: NAME, projectRoot: REPO_ROOT } as const;
    await labDown(here); // this clone's own state of that name, if a crash left one
    const refused = labUp({ ...here, names: ['host-1'], subnet: SUBNET });
    await expect(refused).rejects.toThrow(`network interface ${bridgeName(NAME)} belongs to the lab whose state is in ${stateDir(other)}`);
    await expect(refused).rejects.toMatchObject({ hint: expect.stringContaining(`lab down --state-dir ${stateDir(other)}`) });
    expect(existsSync(statePath(other)), 'the refusal touched nothing').toBe(true);

    lab = await startLab({ name: NAME, names: ['host-1'], subnet: SUBNET });
    expect(existsSync(statePath(other)), 'the leftover lab was taken down through its own state').toBe(false);
    const oldSshd = leftover.hosts[0]!.sshd!.pid;
    expect(running(oldSshd), `the leftover host's sshd (PID ${oldSshd})`).toBe(false);
    expect(await alias(bridgeName(NAME))).toBe(`apim-deploy-lab:${stateDir(here)}`);
    expect((await lab.sh('host-1', 'hostname')).trim()).toBe('host-1');
  });

  it('an interface no lab made is never taken down', async () => {
    await run('ip', ['link', 'add', FOREIGN, 'type', 'bridge']);
    expect(await labDownLeftover({ name: 't-nolab', projectRoot: REPO_ROOT })).toBeUndefined();
    expect(await linkExists(FOREIGN)).toBe(true);
    await expect(labUp({ name: 't-nolab', projectRoot: REPO_ROOT, names: ['host-1'], subnet: '10.213.172.0/24' }))
      .rejects.toThrow(`network interface ${FOREIGN} exists but this lab did not create it`);
    // The refusal came before the lab's state was written: a `lab down` after it (as the test helper runs on a
    // failed start) once deleted the interface the state named.
    await labDown({ name: 't-nolab', projectRoot: REPO_ROOT });
    expect(await linkExists(FOREIGN)).toBe(true);
  });
});
