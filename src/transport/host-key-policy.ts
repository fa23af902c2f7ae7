/**
 * Host key verification against a known_hosts file, as ssh2's `hostVerifier`. Unknown keys are refused unless
 * `acceptNew` (then appended: trust on first use); a changed or revoked key is always refused.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { TransportError } from '../errors.js';
import {
  checkHostKey, describeKeyBlob, hostCandidates, knownHostsLine, parseKnownHosts, preferredHostKeyAlgorithms,
  type KnownHostEntry,
} from './known-hosts.js';

export interface HostKeyTarget {
  /** For messages only: the key is checked under the address dialled (see hostCandidates). */
  readonly name: string;
  readonly address: string;
  readonly port: number;
  readonly knownHosts?: string;
  /** OpenSSH HostKeyAlias: look the key up under this name instead of the address. */
  readonly hostKeyAlias?: string;
}

export interface HostKeyCheck {
  readonly algorithms: string[];
  /** ssh2 hostVerifier: true lets the handshake go on. */
  verify(blob: Buffer): boolean;
  /** Set when verify refused: the error to report instead of ssh2's "Host denied". */
  refusal(): TransportError | undefined;
}

export function defaultKnownHostsFile(): string {
  return join(homedir(), '.ssh', 'known_hosts');
}

function readEntries(file: string): KnownHostEntry[] {
  try {
    return parseKnownHosts(readFileSync(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

function endsWithoutNewline(file: string): boolean {
  if (!existsSync(file)) return false;
  const text = readFileSync(file, 'utf8');
  return text.length > 0 && !text.endsWith('\n');
}

/** The fingerprint `ssh-keygen -lf` prints, so an operator can compare. */
function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

export function hostKeyCheck(target: HostKeyTarget, acceptNew: boolean): HostKeyCheck {
  const file = target.knownHosts ?? defaultKnownHostsFile();
  const candidates = hostCandidates(target.address, target.port, target.hostKeyAlias);
  const entries = readEntries(file);
  const label = target.name === target.address ? target.name : `${target.name} (${target.address})`;
  let refused: TransportError | undefined;

  return {
    algorithms: preferredHostKeyAlgorithms(entries, candidates),
    refusal: () => refused,
    verify(blob: Buffer): boolean {
      try {
        return decide(blob);
      } catch (err) {
        // Runs inside ssh2's handshake: never let a file error escape there.
        refused = new TransportError(target.name, 'host-key', `cannot check or update ${file}: ${(err as Error).message}`);
        return false;
      }
    },
  };

  function decide(blob: Buffer): boolean {
    const status = checkHostKey(readEntries(file), candidates, blob);
    const { keyType } = describeKeyBlob(blob);
    if (status === 'known') return true;
    if (status === 'unknown' && acceptNew) {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      appendFileSync(file, (endsWithoutNewline(file) ? '\n' : '') + knownHostsLine(candidates, blob), { mode: 0o600 });
      return true;
    }
    if (status === 'unknown') {
      refused = new TransportError(target.name, 'host-key',
        `host key for ${label} is not in ${file}; verify it and add it with ssh-keyscan, or re-run with --accept-new-host-keys`,
        `the server offered ${keyType} ${fingerprint(blob)}; compare it with the host's own \`ssh-keygen -lf\` output`);
    } else {
      refused = new TransportError(target.name, 'host-key',
        `WARNING: the ${keyType} host key for ${label} is ${status === 'revoked' ? 'REVOKED' : 'DIFFERENT from the one'} in ${file}. ` +
          'Someone could be intercepting the connection (man-in-the-middle), or the host was reinstalled. Refusing to connect.',
        `the server offered ${fingerprint(blob)}; if the change is expected, remove the old entry with ` +
          `\`ssh-keygen -R ${candidates[0]} -f ${file}\` and add the new one after checking it`);
    }
    return false;
  }
}
