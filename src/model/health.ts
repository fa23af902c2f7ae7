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
       * 'host': curl run on the node itself over the transport, as the login user (no sudo: a port needs no
       * privilege; health/remote-probes.ts); 'controller': fetched by the controller's HTTP
       * client, its TCP connection opened by the node's sshd inside the node's SSH session (no route needed).
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
       * Default 'controller': a TCP connection opened by the node's sshd inside the node's SSH session (no route from
       * the controller needed); 'host' connects from a shell on the node itself over the transport.
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
