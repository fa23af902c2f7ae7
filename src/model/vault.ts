/**
 * Where Carbon looks for the keystore password at start-up, in its home (carbon-kernel 4.x
 * DefaultSecretCallbackHandler; wso2/docs-apim .../working-with-encrypted-passwords.md, "Resolving encrypted
 * passwords"): `password-tmp` is read and then deleted (unless -Dpersist.password=true), `password-persist` is read
 * and kept; with neither, the server asks at the console.
 */
export const CARBON_PASSWORD_FILES = { once: 'password-tmp', kept: 'password-persist' } as const;

/** The contents key of a node's keystore password (src/workflows/run/planning-inputs.ts): names no secret. */
export const vaultPasswordKey = (host: string, role: string): string => `vault-password:${host}:${role}`;

/** The contents key of a setup's stdin secret (role.yaml setup `stdin`): names no secret. */
export const setupStdinKey = (host: string, role: string, setup: string): string => `setup-stdin:${host}:${role}:${setup}`;

/** A file written just before a start and read (and deleted) by the server as it starts. */
export interface StartSecret {
  readonly path: string;
  readonly owner: string;
  /** Where the run's contents hold it. */
  readonly key: string;
}
