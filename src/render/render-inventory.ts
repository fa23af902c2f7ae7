import { createHash } from 'node:crypto';
import type { Inventory, NodeRef, RoleName } from '../model/inventory.js';
import type { FileSpec, RoleDefinition } from '../model/role.js';
import { defaultRoleCatalog, TEMPLATES_DIR, type RoleCatalog } from '../catalog/roles.js';
import { nodePlaceholders, whenFacts } from '../catalog/node-placeholders.js';
import { fillPlaceholders } from '../catalog/placeholders.js';
import { resolveNodeRuntime, type ResolvedRuntime } from '../catalog/runtime.js';
import { matches } from '../catalog/when.js';
import { buildNodeContexts, type TopologyOptions } from '../topology/context.js';
import { destPath } from '../topology/layout.js';
import type { CrossRegionPeer, NodeContext } from '../topology/types.js';
import { renderDropIns } from './drop-ins.js';
import { Renderer, type RenderedText } from './engine.js';
import { mergeTomlOverrides } from './toml-overrides.js';
import { sealVault, VaultCollector } from './vault.js';
import { persistedVaultPassword } from './vault-password.js';
import type { VaultCipher } from '../secrets/vault-cache.js';

/** Gives the cipher that encrypts one node's secure vault values (the workflow builds it: keystore, cache, plan key). */
export type NodeVaultCipher = (ctx: NodeContext, runtime: ResolvedRuntime) => VaultCipher;

export interface RenderedFile {
  /** Absolute path on the host (WSO2 files under the `current` home: see src/topology/layout.ts). */
  readonly path: string;
  /** As in role.yaml: relative to the component home for WSO2 files, else absolute. */
  readonly dest: string;
  readonly template: string;
  readonly content: string;
  readonly sha256: string;
  readonly mode: string;
  readonly owner: string;
  readonly group: string;
  /** True when a secret was written into it: never print or diff it in clear. */
  readonly secret: boolean;
  readonly onChange: FileSpec['onChange'];
}

/** A file kept in place, not written over (role.yaml `present`); `owner` is `user:group`. */
export interface PresentFile {
  readonly path: string;
  readonly mode: string;
  readonly owner: string;
}

export interface RenderedNode {
  readonly host: string;
  readonly role: RoleName;
  readonly node: NodeRef;
  readonly files: readonly RenderedFile[];
  /** Paths that must not exist on the host (role.yaml `absent` whose `when` holds). */
  readonly absent: readonly string[];
  /** Files that must exist, content not the role's (role.yaml `present` whose `when` holds): created empty where missing. */
  readonly present: readonly PresentFile[];
  readonly runtime: ResolvedRuntime;
  readonly context: NodeContext;
}

export interface RenderOptions extends TopologyOptions {
  readonly catalog?: RoleCatalog;
  readonly templatesDir?: string;
  /** Needed when a node has secure_vault on. */
  readonly vault?: NodeVaultCipher;
}

const renderers = new Map<string, Renderer>();
function rendererFor(dir: string): Renderer {
  let r = renderers.get(dir);
  if (!r) renderers.set(dir, (r = new Renderer(dir)));
  return r;
}

/** Render every node of the inventory: its files and its resolved runtime. Pure apart from reading templates. */
export function renderInventory(inv: Inventory, opts: RenderOptions = {}): RenderedNode[] {
  const catalog = opts.catalog ?? defaultRoleCatalog();
  return buildNodeContexts(inv, catalog, opts).map((ctx) => renderNode(catalog[ctx.role], ctx, opts.templatesDir, opts.vault));
}

export function renderNode(role: RoleDefinition, ctx: NodeContext, templatesDir = TEMPLATES_DIR, vault?: NodeVaultCipher): RenderedNode {
  const renderer = rendererFor(templatesDir);
  const runtime = resolveNodeRuntime(role, ctx);
  const facts = whenFacts(ctx);
  const values = nodePlaceholders(role, ctx, runtime.home);
  const files = role.files
    .filter((f) => matches(f.when, facts))
    .flatMap((f) => itemsOf(f, ctx).map((item) => ({ f, item })))
    .map(({ f, item }): RenderedFile => {
      const dest = fillPlaceholders(f.dest, item ? { ...values, values: { ...values.values, region: item.region, region_lower: item.region.toLowerCase() } } : values);
      const isToml = role.runtime.kind === 'wso2' && dest === role.runtime.server.deploymentToml.file;
      const collector = isToml && ctx.vars.secure_vault ? new VaultCollector() : undefined;
      const rendered = renderer.render(f.template, f.format, { ...ctx, runtime, params: f.params ?? {}, ...(item ? { peer: item } : {}) }, collector);
      const merged = isToml ? withTomlOverrides(rendered, ctx, collector) : rendered;
      const out = collector ? { ...merged, content: sealVault(merged.content, collector, cipherFor(vault, ctx, runtime)) } : merged;
      return {
        path: destPath(runtime.home, dest),
        dest,
        template: f.template,
        content: out.content,
        sha256: createHash('sha256').update(out.content).digest('hex'),
        mode: f.mode,
        owner: fillPlaceholders(f.owner, values),
        group: fillPlaceholders(f.group, values),
        secret: out.secret,
        onChange: f.onChange,
      };
    });
  const absent = role.absent.filter((a) => matches(a.when, facts)).map((a) => a.dest);
  const present = role.present.filter((p) => matches(p.when, facts)).map((p) => ({ path: p.dest, mode: p.mode, owner: `${p.owner}:${p.group}` }));
  return { host: ctx.host, role: ctx.role, node: ctx.node, files: [...files, ...renderDropIns(ctx, runtime), ...persistedVaultPassword(ctx, runtime)], absent, present, runtime, context: ctx };
}

/** The items a file is rendered for: one unnamed item, or one per `each:` item of the node's context. */
function itemsOf(f: FileSpec, ctx: NodeContext): (CrossRegionPeer | null)[] {
  if (f.each === undefined) return [null];
  return [...(ctx.wso2?.crossRegion?.peers ?? [])];
}

export { fileInRelease } from '../topology/layout.js';

/** The node's deployment_toml layers merged over its rendered deployment.toml (src/render/toml-overrides.ts). */
function withTomlOverrides(rendered: RenderedText, ctx: NodeContext, vault: VaultCollector | undefined): RenderedText {
  const state = { secretWritten: rendered.secret, ...(vault ? { vault } : {}) };
  const content = mergeTomlOverrides(rendered.content, ctx.vars.deployment_toml, state);
  return { content, secret: state.secretWritten };
}

function cipherFor(vault: NodeVaultCipher | undefined, ctx: NodeContext, runtime: ResolvedRuntime): VaultCipher {
  // Every workflow that renders WSO2 nodes passes one (src/workflows/run/vault-cipher.ts): a miss is a bug there.
  if (!vault) throw new Error(`${ctx.host}: secure_vault is on but nothing was given to encrypt its secrets`);
  return vault(ctx, runtime);
}
