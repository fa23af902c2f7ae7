import type { RoleCatalog } from '../../catalog/roles.js';
import type { PatternDefinition, RoleName } from '../../model/inventory.js';
import type { YamlSource } from '../../yaml/source.js';
import type { HostDraft } from '../hosts.js';
import type { LayoutDraft } from '../layout.js';
import type { DraftNode } from '../nodes.js';
import type { Vars } from '../variables.js';

/** Everything the pattern rules look at. Rules only add issues to `src`; they never throw. */
export interface RuleContext {
  readonly src: YamlSource;
  readonly pattern: PatternDefinition;
  readonly catalog: RoleCatalog;
  readonly hosts: ReadonlyMap<string, HostDraft>;
  readonly layouts: readonly LayoutDraft[];
  /** Roles per host across all layouts, in ROLE_NAMES order. */
  readonly hostRoles: ReadonlyMap<string, readonly RoleName[]>;
  /** Every node with its variables resolved (defaults < vars < role_vars < datacenter vars < host vars). */
  readonly nodes: readonly DraftNode[];
  /** The `vars:` layer as written (checked). */
  readonly vars: Vars;
}

/** "pattern 3 (Control plane, traffic managers and gateways separated)". */
export function patternLabel(p: PatternDefinition): string {
  return /^\d$/.test(p.id) ? `pattern ${p.id}` : p.id;
}
