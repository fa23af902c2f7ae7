import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { RemoteError } from '../../errors.js';
import { HOST_SCRIPT } from './host-script.js';
import { macFor } from './mac.js';
import { processRef } from './processes.js';
import type { ProcessRef } from './state.js';

export interface BootRequest {
  readonly name: string;
  readonly address: string;
  readonly prefixLength: number;
  readonly veth: string;
  readonly dir: string;
  /** A bastion's second link, on the internal network (same prefix length). */
  readonly inner?: { readonly address: string; readonly veth: string };
  /** `systemd`: the host boots with the lab's systemd stand-in (src/lab/systemd); else sshd alone. */
  readonly init?: 'systemd';
}

export interface BootedHost {
  readonly unshare: ProcessRef;
  readonly sshd: ProcessRef;
}

const BOOT_TIMEOUT_MS = 15_000;

/** The boot log holds the host script's errors and then sshd's own log (`sshd -e`). */
export const bootLogPath = (dir: string): string => join(dir, 'boot.log');

function logTail(dir: string): string {
  try {
    return readFileSync(bootLogPath(dir), 'utf8').trim().split('\n').slice(-8).join('\n');
  } catch {
    return '';
  }
}

/**
 * Starts one host: `unshare` forks the host's PID 1, which runs HOST_SCRIPT and execs sshd.
 * `onSpawn` lets the caller record the unshare PID before the host is up, so a crash mid-boot leaves a trace.
 * Resolves once the script reported ready (sshd is being exec'd; the caller waits for port 22).
 */
export function bootHost(req: BootRequest, onSpawn: (unshare: ProcessRef) => void): Promise<BootedHost> {
  const log = openSync(bootLogPath(req.dir), 'w', 0o600);
  const args = ['--net', '--mount', '--uts', '--ipc', '--pid', '--fork', '--kill-child', '--',
    '/bin/sh', '-c', HOST_SCRIPT, 'lab-host',
    req.name, req.address, String(req.prefixLength), req.veth, `/proc/${process.pid}/ns/net`, req.dir, macFor(req.address),
    ...(req.inner ? [req.inner.address, req.inner.veth, macFor(req.inner.address)] : [])];
  // detached: its own session, so the CLI can exit and a ^C in the terminal does not reach the hosts.
  // A minimal environment: the hosts must not inherit whatever the controller runs with (tokens, NODE_OPTIONS).
  const env = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8', ...(req.init ? { LAB_INIT: req.init } : {}) };
  const child = spawn('unshare', args, { detached: true, env, stdio: ['ignore', log, log, 'pipe'] });
  closeSync(log);
  const ready = child.stdio[3] as Readable;

  return new Promise<BootedHost>((resolve, reject) => {
    let settled = false;
    let output = '';
    let unshare: ProcessRef | undefined;
    const finish = (err: Error | undefined, booted?: BootedHost) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ready.destroy();
      child.unref();
      if (err) {
        if (child.exitCode === null) child.kill('SIGKILL'); // --kill-child takes the half-booted host with it
        reject(err);
      } else resolve(booted as BootedHost);
    };
    const failed = (why: string) =>
      new RemoteError(req.name, `lab host did not boot: ${why}`, logTail(req.dir), `see ${bootLogPath(req.dir)}`);
    const timer = setTimeout(() => finish(failed(`no ready signal within ${BOOT_TIMEOUT_MS / 1000} s`)), BOOT_TIMEOUT_MS);

    child.once('spawn', () => {
      unshare = child.pid === undefined ? undefined : processRef(child.pid);
      if (unshare) onSpawn(unshare);
    });
    child.once('error', (err) => finish(failed(`cannot run unshare: ${err.message}`)));
    child.once('exit', (code, signal) => finish(failed(`host script ended (${signal ?? `exit ${code}`})`)));
    ready.setEncoding('utf8');
    ready.on('data', (chunk: string) => {
      output += chunk;
      const match = /^ready (\d+)$/m.exec(output);
      if (!match) return;
      const sshd = processRef(Number(match[1]));
      if (!unshare || !sshd) finish(failed('host process vanished right after boot'));
      else finish(undefined, { unshare, sshd });
    });
  });
}
