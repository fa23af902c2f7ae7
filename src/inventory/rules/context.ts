import type { PatternDefinition, RoleName, Vars } from '../../model/inventory.js';
import type { HostDraft } from '../hosts.js';
import type { LayoutDraft } from '../layout.js';
import type { YamlSource } from '../source.js';

/** Everything the pattern rules look at. Rules only add issues to `src`; they never throw. */
export interface RuleContext {
  readonly src: YamlSource;
  readonly pattern: PatternDefinition;
  readonly hosts: ReadonlyMap<string, HostDraft>;
  readonly layouts: readonly LayoutDraft[];
  /** Roles per host across all layouts, in ROLE_NAMES order. */
  readonly hostRoles: ReadonlyMap<string, readonly RoleName[]>;
  readonly vars: Vars;
  readonly roleVars: Readonly<Partial<Record<RoleName, Vars>>>;
}

/** "pattern 3 (Control plane, traffic managers and gateways separated)". */
export function patternLabel(p: PatternDefinition): string {
  return /^\d$/.test(p.id) ? `pattern ${p.id}` : p.id;
}
