import { ConfigError, formatIssue } from '../../errors.js';
import { loadInventory } from '../../inventory/load.js';
import { summarizeInventory } from '../../inventory/summary.js';
import type { ValidateArgs } from '../commands/validate.js';
import { printJson } from '../output.js';
import { secretArgs } from '../options.js';

/** `apim-deploy validate`: every problem at once (exit 3), or a one-line summary (exit 0). Touches no host. */
export default async function validate(argv: ValidateArgs): Promise<void> {
  try {
    const inv = await loadInventory(argv.inventory, secretArgs(argv));
    for (const w of inv.warnings) process.stderr.write(`${formatIssue({ ...w, message: `warning: ${w.message}` })}\n`);
    const summary = summarizeInventory(inv);
    // --explain reads ssh_config through the transport's endpoint rules: loaded only when asked.
    const explained = argv.explain !== undefined ? (await import('../../workflows/explain-connection.js')).explainConnection(inv, argv.explain) : undefined;
    if (!argv.json) return void process.stdout.write(`${summary}\n${explained !== undefined ? `${explained}\n` : ''}`);
    const nodes = inv.hosts.reduce((n, h) => n + h.roles.length, 0);
    printJson({
      valid: true, inventory: argv.inventory, summary, name: inv.name, pattern: inv.pattern, apimVersion: inv.apim.version, hosts: inv.hosts.length, nodes,
      ...(explained !== undefined ? { explain: explained } : {}), issues: [], warnings: inv.warnings,
    });
  } catch (err) {
    if (!argv.json || !(err instanceof ConfigError)) throw err;
    printJson({ valid: false, inventory: argv.inventory, error: err.message, issues: err.issues, ...(err.hint ? { hint: err.hint } : {}) });
    process.exitCode = err.exitCode;
  }
}
