import type { HostName, RoleName } from './inventory.js';

/** The deployment drawn as a graph (apim-deploy graph): hosts and the wiring between them. */
export interface TopologyHost {
  readonly name: HostName;
  readonly address: string;
  readonly datacenter: string | null;
  readonly roles: readonly RoleName[];
  /** Dependency layer of its roles (0: depends on nothing present). */
  readonly layer: number;
}

export interface TopologyEdge {
  readonly from: HostName;
  readonly to: HostName;
  readonly kind: 'event hub' | 'throttling' | 'key manager' | 'database' | 'upstream';
  readonly ports: readonly number[];
}

export interface TopologyGraph {
  readonly name: string;
  readonly pattern: string;
  readonly hosts: readonly TopologyHost[];
  readonly edges: readonly TopologyEdge[];
}
