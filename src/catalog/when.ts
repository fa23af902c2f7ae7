import type { When } from '../model/role.js';
import { satisfies } from './semver.js';

/** The facts a `when:` is tested against. */
export interface WhenFacts {
  readonly apimVersion: string;
  readonly databaseType: 'postgresql' | 'mysql' | 'h2';
  readonly serviceManager: 'script' | 'systemd';
  /** The deployment has an internal CA (a load balancer whose certificate it signs). */
  readonly internalCa: boolean;
  readonly balancer: 'nginx' | 'haproxy';
  /** The node has keystores of its own (inventory `keystores`). */
  readonly ownKeystores: boolean;
  /** Which side of a migration the node's datacenter sends clients to (`migrate`'s switch). */
  readonly clients: 'blue' | 'green';
  /** The inventory names green partners (`green:`). */
  readonly migration: boolean;
}

export function matches(when: When | undefined, facts: WhenFacts): boolean {
  if (!when) return true;
  if (when.versions !== undefined && !satisfies(facts.apimVersion, when.versions)) return false;
  if (when.databaseType !== undefined && when.databaseType !== facts.databaseType) return false;
  if (when.serviceManager !== undefined && when.serviceManager !== facts.serviceManager) return false;
  if (when.internalCa !== undefined && when.internalCa !== facts.internalCa) return false;
  if (when.balancer !== undefined && when.balancer !== facts.balancer) return false;
  if (when.ownKeystores !== undefined && when.ownKeystores !== facts.ownKeystores) return false;
  if (when.clients !== undefined && when.clients !== facts.clients) return false;
  if (when.migration !== undefined && when.migration !== facts.migration) return false;
  return true;
}
