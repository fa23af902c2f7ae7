/**
 * The error hierarchy and its stable exit codes (documented in README.md).
 * Every error says what to do next in `hint`.
 */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  config: 3,
  remote: 4,
  healthTimeout: 5,
  internal: 70,
} as const;

export abstract class ApimDeployError extends Error {
  abstract readonly exitCode: number;
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad command line. */
export class UsageError extends ApimDeployError {
  readonly exitCode = EXIT.usage;
}

/** One problem found in a user file, with its position. */
export interface ConfigIssue {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** Dotted path inside the document, e.g. `roles.gateway[1]`. */
  readonly path: string;
  readonly message: string;
}

export function formatIssue(issue: ConfigIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.col}`;
  return issue.path ? `${where}: ${issue.path}: ${issue.message}` : `${where}: ${issue.message}`;
}

/** Invalid inventory, role definition, template or dotenv file: all issues at once. */
export class ConfigError extends ApimDeployError {
  readonly exitCode = EXIT.config;
  constructor(
    message: string,
    readonly issues: readonly ConfigIssue[] = [],
    hint?: string,
  ) {
    super(message, hint);
  }
}

/**
 * A problem found after the inventory loaded (while rendering), at a path inside it: callers that know the file turn
 * it into a ConfigError at its file:line (src/inventory/locate.ts).
 */
export class InventoryPathError extends ConfigError {
  constructor(
    message: string,
    /** Keys and indexes from the document root, e.g. ['hosts', 'gw-1', 'vars', 'deployment_toml', 'apim']. */
    readonly at: readonly (string | number)[],
    /** The message without the path, for a positioned issue. */
    readonly detail: string,
    hint?: string,
  ) {
    super(message, [], hint);
  }
}

export type TransportErrorKind = 'unreachable' | 'auth' | 'host-key' | 'timeout' | 'protocol' | 'become';

/** The transport could not talk to a host. Always names the host. */
export class TransportError extends ApimDeployError {
  readonly exitCode = EXIT.remote;
  constructor(
    readonly host: string,
    readonly kind: TransportErrorKind,
    message: string,
    hint?: string,
  ) {
    super(`${host}: ${message}`, hint);
  }
}

/** A guarded put found the destination changed since it was read, and placed nothing. `found`: its sha256, null when absent. */
export class PlaceDriftError extends TransportError {
  constructor(host: string, readonly path: string, readonly found: string | null) {
    super(host, 'protocol', `${path} changed since it was read: nothing placed`);
  }
}

/** A remote command failed: host, step, exit code with its meaning, stderr tail. */
export class RemoteError extends ApimDeployError {
  readonly exitCode = EXIT.remote;
  constructor(
    readonly host: string,
    message: string,
    readonly detail: string = '',
    hint?: string,
  ) {
    super(`${host}: ${message}`, hint);
  }
}

/** The plan was made against a host that has changed since. */
export class DriftError extends RemoteError {
  constructor(host: string, message: string) {
    super(host, message, '', `run \`apim-deploy plan\` again, review it, then apply`);
  }
}

/** A node did not become healthy in time. `detail` holds last probe answers and the log tail. */
export class HealthTimeoutError extends ApimDeployError {
  readonly exitCode = EXIT.healthTimeout;
  constructor(
    readonly host: string,
    message: string,
    readonly detail: string = '',
  ) {
    super(`${host}: ${message}`);
  }
}

/** A bug in apim-deploy itself. */
export class InternalError extends ApimDeployError {
  readonly exitCode = EXIT.internal;
}
