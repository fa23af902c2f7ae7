/**
 * A keyed digest for anything derived from a secret-bearing file's content that leaves the process (plan files,
 * `plan --json`, printed plans, marker file names on hosts). A bare sha256 of a rendered deployment.toml lets anyone
 * who reads the plan test password guesses offline; an HMAC under a key only the operator holds does not.
 */
export interface ContentSeal {
  /** Names the key (not the key): a plan sealed under another key is refused by name. */
  readonly keyId: string;
  /** `hmac:<64 hex>` of `text` under the key, with `purpose` separating uses. */
  digest(purpose: 'file' | 'facts' | 'marker' | 'vault', text: string): string;
}

export const SEALED_PREFIX = 'hmac:';
export const isSealed = (digest: string): boolean => digest.startsWith(SEALED_PREFIX);
