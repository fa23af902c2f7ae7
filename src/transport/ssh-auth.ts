/**
 * Public-key authentication as people have it set up: the keys in ssh-agent (`SSH_AUTH_SOCK`) first, then each
 * key file, opened only when the agent did not get us in. A passphrase-protected key is unlocked with the
 * passphrase from the secrets file or, when none is given and a terminal is there, one asked for once per key
 * file and run. What was tried is kept, so a refusal says why (agent had 0 keys, key needs a passphrase, ...).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { SshEndpoint } from './endpoint.js';
import { parseKey } from './ssh2-types.js';

/** Asks the operator for a key's passphrase (a terminal prompt); undefined when no one can answer. */
export type AskPassphrase = (keyFile: string) => Promise<string | undefined>;

const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

/** One per run: each key file is read, and its passphrase asked for, at most once. */
export class KeyRing {
  readonly #keys = new Map<string, Promise<{ key?: unknown; problem?: string }>>();
  constructor(private readonly ask?: AskPassphrase) {}

  /** The parsed private key, or why it cannot be used. */
  unlock(file: string, passphrase: string | undefined): Promise<{ key?: unknown; problem?: string }> {
    let got = this.#keys.get(file);
    if (!got) {
      got = this.#open(file, passphrase);
      this.#keys.set(file, got);
    }
    return got;
  }

  async #open(file: string, passphrase: string | undefined): Promise<{ key?: unknown; problem?: string }> {
    let data: Buffer;
    try {
      data = readFileSync(file);
    } catch (err) {
      return { problem: `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
    }
    let parsed = parseKey(data, passphrase);
    if (parsed instanceof Error && /no passphrase given/.test(parsed.message) && passphrase === undefined) {
      const asked = this.ask ? await this.ask(file) : undefined;
      if (asked === undefined) {
        return { problem: `${file} is passphrase-protected and no passphrase was given (set ssh_key_passphrase from the secrets file, load the key into ssh-agent, or run on a terminal to be asked)` };
      }
      parsed = parseKey(data, asked);
    }
    if (parsed instanceof Error) {
      return { problem: /bad passphrase|decrypt/i.test(parsed.message) ? `wrong passphrase for ${file}` : `cannot use ${file}: ${parsed.message}` };
    }
    return { key: Array.isArray(parsed) ? parsed[0] : parsed };
  }
}

function agentSocket(): string | undefined {
  const sock = process.env['SSH_AUTH_SOCK'];
  try {
    return sock && statSync(sock).isSocket() ? sock : undefined;
  } catch {
    return undefined;
  }
}

export function identityFiles(e: Pick<SshEndpoint, 'identityFiles'>): string[] {
  if (e.identityFiles.length > 0) return [...e.identityFiles];
  return DEFAULT_KEYS.map((k) => join(homedir(), '.ssh', k)).filter((p) => existsSync(p));
}

type Next = { type: 'agent'; username: string; agent: string } | { type: 'publickey'; username: string; key: unknown } | false;

export interface AuthPlan {
  /** ssh2's `authHandler`: agent, then each key file. */
  readonly handler: (methodsLeft: unknown, partial: unknown, cb: (next: Next) => void) => void;
  /** What was tried and why each failed, for the error message. */
  tried(): string;
}

export function authPlan(e: SshEndpoint, ring: KeyRing): AuthPlan {
  const agent = agentSocket();
  const files = identityFiles(e);
  const steps: (() => Promise<Next | undefined>)[] = [];
  const notes: string[] = [];
  if (agent) {
    steps.push(async () => {
      notes.push(`the keys in ssh-agent (${agent})`);
      return { type: 'agent', username: e.user, agent };
    });
  }
  for (const file of files) {
    steps.push(async () => {
      const got = await ring.unlock(file, e.keyPassphrase?.reveal());
      if (got.problem) {
        notes.push(got.problem);
        return undefined;
      }
      notes.push(`the key ${file}`);
      return { type: 'publickey', username: e.user, key: got.key };
    });
  }
  if (!agent && files.length === 0) notes.push('no ssh-agent (SSH_AUTH_SOCK unset) and no key file (ssh_key unset, no ~/.ssh/id_*)');
  let at = 0;
  const handler: AuthPlan['handler'] = (_left, _partial, cb) => {
    void (async () => {
      while (at < steps.length) {
        const next = await steps[at++]!();
        if (next) return cb(next);
      }
      cb(false);
    })();
  };
  return { handler, tried: () => notes.join('; ') };
}
