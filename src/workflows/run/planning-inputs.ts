import { defaultRoleCatalog, type RoleCatalog } from '../../catalog/roles.js';
import type { Inventory } from '../../model/inventory.js';
import { EMPTY_CONTENT, type FileContent } from '../../model/plan.js';
import type { LocalArtifact, PlanInputs } from '../../planner/inputs.js';
import { dropInArtifacts } from './drop-in-artifacts.js';
import { atInventoryLines } from '../../inventory/locate.js';
import { renderInventory, type RenderedNode } from '../../render/render-inventory.js';
import { distributionFiles, packDefaults } from './distribution-files.js';
import { localArtifacts } from './local-artifacts.js';
import { lazyInventorySeal } from '../../secrets/plan-key.js';
import { inventoryVaultCipher } from './vault-cipher.js';
import { vaultPasswordFile } from '../../secrets/vault-keystore.js';

/** The planner's inputs for an inventory, less the hosts' state: what every changing workflow starts from. */
export interface PlanningInputs {
  readonly catalog: RoleCatalog;
  readonly rendered: readonly RenderedNode[];
  /** Rendered files and distribution files by sha256: what upload steps send. */
  readonly contents: Map<string, FileContent>;
  readonly inputs: Omit<PlanInputs, 'state'>;
}

/**
 * render → hash the JDK, distributions and driver → read dbscripts and the packs' default configs from the local
 * zips. `withArtifacts: false` skips the controller-side files (commands that only read hosts).
 */
export async function planningInputs(inventory: Inventory, opts: { withArtifacts?: boolean; healthTimeoutMs?: number; verify?: boolean } = {}): Promise<PlanningInputs> {
  const catalog = defaultRoleCatalog();
  const seal = lazyInventorySeal(inventory.file);
  const rendered = atInventoryLines(inventory, () => renderInventory(inventory, { catalog, vault: inventoryVaultCipher(inventory, seal) }));
  const withArtifacts = opts.withArtifacts ?? true;
  const artifacts = withArtifacts ? await localArtifacts(inventory, rendered, { verify: opts.verify ?? false }) : {};
  const [distFiles, defaults, dropIns] = withArtifacts
    ? await Promise.all([distributionFiles(rendered, artifacts), packDefaults(rendered, artifacts), dropInArtifacts(rendered, { verify: opts.verify ?? false })])
    : [new Map<string, FileContent>(), new Map<string, string>(), new Map<string, LocalArtifact>()];
  const contents = new Map<string, FileContent>([[EMPTY_CONTENT.sha256, EMPTY_CONTENT]]);
  for (const r of rendered) for (const f of r.files) contents.set(f.sha256, { sha256: f.sha256, content: f.content, secret: f.secret });
  for (const r of rendered) {
    // Secure vault: the keystore password each start writes to password-tmp (src/steps/start-component.ts).
    const s = r.runtime.startSecret;
    if (s) contents.set(s.key, { sha256: s.key, content: vaultPasswordFile(r.context.vars), secret: true });
    // Passwords setup commands read on stdin (src/steps/run-once.ts), e.g. the truststore's for keytool.
    for (const setup of r.runtime.setup) {
      if (setup.stdin) contents.set(setup.stdin.key, { sha256: setup.stdin.key, content: `${r.context.vars[setup.stdin.secret].reveal()}\n`, secret: true });
    }
  }
  for (const f of distFiles.values()) contents.set(f.sha256, f);
  const inputs = {
    inventory, catalog, rendered, artifacts, distributionFiles: distFiles, packDefaults: defaults, dropIns, now: new Date().toISOString(),
    seal,
    ...(opts.healthTimeoutMs ? { healthTimeoutMs: opts.healthTimeoutMs } : {}),
  };
  return { catalog, rendered, contents, inputs };
}
