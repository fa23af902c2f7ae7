import type { AskPassphrase } from './ssh-auth.js';
import type { SshConfigFile } from './ssh-config.js';

/** What the CLI sets for every connection of the process: `--ssh-config FILE`, and the terminal's passphrase prompt. */
export interface ConnectionDefaults {
  readonly sshConfig?: string | SshConfigFile | false;
  readonly askPassphrase?: AskPassphrase;
}

/**
 * Kept apart from open.ts so that setting them costs nothing: every command runs the CLI's middleware, and open.ts
 * loads the SSH stack, which only commands that connect need.
 */
let processDefaults: ConnectionDefaults = {};

export function setConnectionDefaults(d: ConnectionDefaults): void {
  processDefaults = d;
}

export const connectionDefaults = (): ConnectionDefaults => processDefaults;
