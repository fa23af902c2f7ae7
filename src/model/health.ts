/**
 * Health checks as data (from roles/<role>/role.yaml, with `{address}`-style placeholders already resolved
 * by the planner for one node).
 */
export type HealthCheck =
  | {
      readonly kind: 'http';
      readonly url: string;
      readonly expectStatus: readonly number[];
      /**
       * 'host': the node's own view. Fetched by the controller's HTTP client over a TCP connection the node's sshd
       * opens inside its SSH session (no process on the node), or, where that sshd allows no forwarding or the
       * certificate must be verified against the host's trust, by curl on the node as the login user (no sudo: a
       * port needs no privilege; health/remote-probes.ts). 'controller': the same tunnel where the node's sshd
       * allows it (no route needed), else a connection from the controller (health/prober.ts).
       */
      readonly from: 'host' | 'controller';
      readonly insecureTls: boolean;
      /** Optional substring the body must contain. */
      readonly bodyContains?: string;
    }
  | {
      readonly kind: 'tcp';
      readonly host: string;
      readonly port: number;
      /**
       * Either way a TCP connection opened by the node's sshd inside the node's SSH session where that sshd allows
       * forwarding. Where it does not: 'host' connects from a shell on the node over the transport; the default,
       * 'controller', from the controller.
       */
      readonly from?: 'host' | 'controller';
    }
  | { readonly kind: 'log'; readonly file: string; readonly pattern: string }
  | { readonly kind: 'command'; readonly argv: readonly string[] };

export interface HealthPolicy {
  /** Overall deadline. */
  readonly timeoutMs: number;
  /** Grows each attempt (x1.5) up to maxIntervalMs. */
  readonly firstIntervalMs: number;
  readonly maxIntervalMs: number;
  /** Re-check after the first all-green round before trusting it. */
  readonly settleMs: number;
}

export interface ProbeResult {
  readonly check: HealthCheck;
  readonly healthy: boolean;
  /** 'HTTP 503 from https://…:9443/…', 'port 8243 closed', 'HTTP 200'. */
  readonly detail: string;
}
