import { Secret } from '../model/secret.js';
import type { NodeVars } from '../model/vars.js';
import * as N from './names.js';
import { TLS_VARIABLES, type CustomCheck } from './tls-vars.js';
import { VAULT_VARIABLES } from './vault-vars.js';

/**
 * Inventory variables: the one table of what each variable may hold, where it may be set and its default, and the
 * one precedence. src/inventory/node-vars.ts applies them once per node; everything downstream reads the result
 * (`Inventory.nodes[].vars`, typed as NodeVars in src/model/vars.ts).
 *
 * Precedence, lowest first: the defaults in VARIABLES < `vars` < `role_vars.<role>` < `datacenters.<dc>.vars` <
 * `hosts.<host>.vars`. A later layer replaces a variable; a mapping variable (database, public_hostname) is merged
 * key by key, so a datacenter may change only `database.host`.
 */
export const PRECEDENCE = ['vars', 'role', 'datacenter', 'host'] as const;
export type LayerKind = (typeof PRECEDENCE)[number];

/** Where a variable may be set: `deployment` ones (the database) only in `vars` and datacenter vars. */
export type VarScope = 'deployment' | 'node';
export const SCOPE_LAYERS: Readonly<Record<VarScope, readonly LayerKind[]>> = {
  deployment: ['vars', 'datacenter'],
  node: PRECEDENCE,
};

/** A variable as written in one layer, after its check: plain data, passwords wrapped as Secrets. */
export type VarValue = string | number | boolean | Secret | readonly VarValue[] | { readonly [key: string]: VarValue };
export type Vars = { readonly [key: string]: VarValue };

/** What a default may look at: the node's values resolved so far (in table order) and its layout. */
export interface DefaultContext {
  readonly node: Readonly<Record<string, unknown>>;
  /** The mapping variable being resolved, so far (for a field whose default depends on another field). */
  readonly value: Readonly<Record<string, unknown>>;
  readonly layout: LayoutFacts;
}

/** Facts of a node's layout that defaults depend on. */
export interface LayoutFacts {
  /** The database-role hosts of the layouts that share this node's database definition. */
  readonly databaseHosts: readonly string[];
  /** Whether an unset database is the embedded h2 (a pattern that allows it, with at most one WSO2 node). */
  readonly h2ByDefault: boolean;
}

export type Default = VarValue | null | ((c: DefaultContext) => VarValue | null);

/** What one value may hold. `password` values always become Secrets, even when written in clear. */
export type ScalarKind =
  | { readonly kind: 'text'; readonly rule: N.NameRule }
  | { readonly kind: 'password' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'int'; readonly min: number; readonly max: number }
  | { readonly kind: 'bool' }
  /** Checked by its own function (tls-vars.ts: keystore entries, file lists). */
  | { readonly kind: 'custom'; readonly check: CustomCheck; readonly text: string; readonly schema: Readonly<Record<string, unknown>> }
  /** A list of drop-in files (src/inventory/drop-in-files.ts), merged by destination across layers. */
  | { readonly kind: 'files' }
  // Free-form: deployment.toml keys (src/inventory/toml-values.ts), merged per layer over the rendered file.
  | { readonly kind: 'toml' }
  // A list of dotted deployment.toml keys; a list of JVM options. Every layer's list is appended (lowest first).
  | { readonly kind: 'toml-keys' }
  | { readonly kind: 'jvm-options' };

export interface ScalarSpec {
  readonly kind: ScalarKind;
  readonly default: Default;
}
export type VarSpec =
  | (ScalarSpec & { readonly scope: VarScope })
  | { readonly kind: { readonly kind: 'object'; readonly fields: Readonly<Record<string, ScalarSpec>> }; readonly scope: VarScope };

const text = (rule: N.NameRule): ScalarKind => ({ kind: 'text', rule });
const password: ScalarKind = { kind: 'password' };
/** The shipped JKS password: a default, still a Secret (files holding it stay 0600). */
const SHIPPED_JKS_PASSWORD = new Secret('wso2carbon', 'the default (the shipped JKS password)');
const node = (kind: ScalarKind, dflt: Default): VarSpec => ({ kind, scope: 'node', default: dflt });

/** Every variable apim-deploy knows, in resolution order (a default may read those above it). Anything else is a typo. */
export const VARIABLES: { readonly [K in keyof NodeVars]: VarSpec } = {
  admin_username: node(text(N.LOGIN_NAME), 'admin'),
  // Required on every WSO2 node: rules/credentials.ts.
  admin_password: node(password, null),
  keystore_password: node(password, SHIPPED_JKS_PASSWORD),
  truststore_password: node(password, SHIPPED_JKS_PASSWORD),
  database: {
    scope: 'deployment',
    kind: {
      kind: 'object',
      fields: {
        type: { kind: { kind: 'enum', values: ['postgresql', 'mysql', 'h2'] }, default: (c) => (c.layout.h2ByDefault ? 'h2' : null) },
        host: { kind: text(N.ADDRESS), default: (c) => (c.layout.databaseHosts.length === 1 ? c.layout.databaseHosts[0]! : null) },
        port: { kind: { kind: 'int', min: 1, max: 65535 }, default: (c) => (c.value['type'] === 'mysql' ? 3306 : 5432) },
        apim_db: { kind: text(N.SQL_NAME), default: 'apim_db' },
        shared_db: { kind: text(N.SQL_NAME), default: 'shared_db' },
        user: { kind: text(N.SQL_NAME), default: null },
        password: { kind: password, default: null },
        replicated: { kind: { kind: 'bool' }, default: false },
      },
    },
  },
  // Unset: derived from the layout (the load balancer, else the first node), see src/topology/doors.ts.
  public_hostname: {
    scope: 'node',
    kind: {
      kind: 'object',
      fields: {
        control_plane: { kind: text(N.ADDRESS), default: null },
        gateway: { kind: text(N.ADDRESS), default: null },
        key_manager: { kind: text(N.ADDRESS), default: null },
      },
    },
  },
  jvm_heap: node(text(N.HEAP_SIZE), '1g'),
  install_dir: node(text(N.ABSOLUTE_PATH), '/opt/wso2'),
  service_user: node(text(N.UNIX_NAME), 'wso2carbon'),
  service_group: node(text(N.UNIX_NAME), 'wso2'),
  service_manager: node({ kind: 'enum', values: ['script', 'systemd'] }, 'script'),
  gateway_environment: node(text(N.LABEL), 'Default'),
  java_home: node(text(N.ABSOLUTE_PATH), (c) => `${String(c.node['install_dir'])}/jdk/current`),
  load_balancer: node({ kind: 'enum', values: ['nginx', 'haproxy'] }, 'nginx'),
  ...TLS_VARIABLES,
  files: node({ kind: 'files' }, []),
  deployment_toml: node({ kind: 'toml' }, null),
  deployment_toml_force: node({ kind: 'toml-keys' }, []),
  deployment_toml_replace: node({ kind: 'toml-keys' }, []),
  jvm_options: node({ kind: 'jvm-options' }, []),
  ...VAULT_VARIABLES,
};

export const VARIABLE_NAMES = Object.keys(VARIABLES) as (keyof NodeVars)[];
