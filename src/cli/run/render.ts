import { formatIssue } from '../../errors.js';
import { atInventoryLines } from '../../inventory/locate.js';
import { loadInventory } from '../../inventory/load.js';
import { renderInventory } from '../../render/render-inventory.js';
import { writeRenderedTree } from '../../render/write-tree.js';
import { withInternalPki } from '../../workflows/run/internal-pki.js';
import { inventoryVaultCipher } from '../../workflows/run/vault-cipher.js';
import type { RenderArgs } from '../commands/render.js';
import { prepareOutDir, printJson, writingInto } from '../output.js';
import { secretArgs } from '../options.js';

/** `apim-deploy render`: every host's files under DIR/<host>/<remote path>, secrets in place. */
export default async function render(argv: RenderArgs): Promise<void> {
  const inv = await withInternalPki(await loadInventory(argv.inventory, { ...secretArgs(argv), requireArtifacts: false }));
  for (const w of inv.warnings) process.stderr.write(`${formatIssue({ ...w, message: `warning: ${w.message}` })}\n`);
  const out = prepareOutDir(argv['out-dir']);
  const summary = writingInto(argv['out-dir'], () => writeRenderedTree(atInventoryLines(inv, () => renderInventory(inv, { vault: inventoryVaultCipher(inv) })), out));
  if (argv.json) return printJson({ outDir: out, ...summary });
  for (const h of summary.perHost) {
    process.stdout.write(`${h.host.padEnd(16)} ${h.roles.join(', ').padEnd(32)} ${h.files} file(s)\n`);
  }
  process.stdout.write(
    `${summary.files} file(s) for ${summary.perHost.length} host(s) written under ${out}` +
      ` (${summary.secretFiles} hold secrets, mode 0600: keep this directory private)\n`,
  );
}
