import type { RoleName } from '../model/inventory.js';
import type { RoleDefinition } from '../model/role.js';
import type { NodeVars } from '../model/vars.js';
import type { NodePlaceholders } from './placeholders.js';
import type { WhenFacts } from './when.js';

/** What resolving a role for one node needs to know about the node (src/topology's NodeContext is one). */
export interface RuntimeNode {
  readonly host: string;
  readonly role: RoleName;
  readonly address: string;
  /** WSO2 port offset (0 for service roles). */
  readonly offset: number;
  readonly apimVersion: string;
  readonly stateDir: string;
  readonly paths: { readonly roleDir: string; readonly home: string; readonly dataDir: string; readonly unitName: string };
  readonly vars: NodeVars;
  /** Present when the deployment has an internal CA (NodeContext.tls). */
  readonly tls?: unknown;
  /** Which side of a migration clients are on (NodeContext.clients); absent: blue. */
  readonly clients?: 'blue' | 'green';
  /** The inventory names green partners (NodeContext.migration); absent: no. */
  readonly migration?: boolean;
}

export function whenFacts(node: RuntimeNode): WhenFacts {
  return {
    apimVersion: node.apimVersion, databaseType: node.vars.database.type, serviceManager: node.vars.service_manager,
    internalCa: node.tls !== undefined && node.tls !== null, balancer: node.vars.load_balancer,
    ownKeystores: Object.values(node.vars.keystores).some((k) => k !== null),
    clients: node.clients ?? 'blue', migration: node.migration ?? false,
  };
}

/** The placeholder values of one node; `home` targets a release dir, `launch` is the WSO2 start script. */
export function nodePlaceholders(role: RoleDefinition, node: RuntimeNode, home: string | null, launch?: Wso2Launch): NodePlaceholders {
  const { vars } = node;
  const db = vars.database;
  return {
    values: {
      address: node.address,
      ...(home === null ? {} : { home }),
      role: node.role,
      role_dir: node.paths.roleDir,
      install_dir: vars.install_dir,
      state_dir: node.stateDir,
      service_user: vars.service_user,
      service_group: vars.service_group,
      java_home: vars.java_home,
      jvm_heap: vars.jvm_heap,
      jvm_options: vars.jvm_options.join(' '),
      unit: node.paths.unitName,
      'database.apim_db': db.apim_db,
      'database.shared_db': db.shared_db,
      ...(db.user === null ? {} : { 'database.user': db.user }),
      ...(launch ? { launcher: launch.script } : {}),
    },
    lists: launch ? { launcher_args: launch.args } : {},
    port: (spec) => {
      const base = /^\d+$/.test(spec) ? Number(spec) : role.ports[spec];
      if (base === undefined) throw new Error(`role ${role.name} has no port named ${spec}`);
      return base + node.offset;
    },
  };
}

export interface Wso2Launch {
  readonly script: string;
  readonly args: readonly string[];
}

