import type { CommandModule } from 'yargs';
import { ConfigError, formatIssue } from '../../errors.js';
import { loadInventory } from '../../inventory/load.js';
import { summarizeInventory } from '../../inventory/summary.js';
import { explainConnection } from '../../workflows/explain-connection.js';
import { inventoryOptions, jsonOption, type InventoryArgs } from '../options.js';
import { printJson } from '../output.js';

interface ValidateArgs extends InventoryArgs {
  json: boolean;
  explain?: string;
}

/** `apim-deploy validate -i INV`: every problem at once (exit 3), or a one-line summary (exit 0). Touches no host. */
const validate: CommandModule<object, ValidateArgs> = {
  command: 'validate',
  describe: 'Check an inventory against its pattern: every problem at once, nothing touches a host',
  builder: (y) =>
    jsonOption(inventoryOptions(y), 'print the result (summary or every problem with its position) as one JSON document')
      .option('explain', { type: 'string', requiresArg: true, describe: 'HOST: how it is logged in to (user, port, keys, jump hosts, sudo) and where each value came from' })
      .example('$0 validate -i inventories/eu-prod.yaml', 'every problem as file:line:col: path: message, exit 3; else a summary')
      .example('$0 validate -i inv.yaml --env-file /secure/eu-prod.env', 'secrets from another dotenv file')
      .example('$0 validate -i inv.yaml --explain gw-1', 'the user, port, keys, jump hosts and sudo gw-1 gets, and where each came from')
      .example('$0 validate -i inv.yaml --json', 'for editors and CI: {"valid": false, "issues": [...]}') as never,
  handler: async (argv) => {
    try {
      const inv = await loadInventory(argv.inventory, { ...(argv['env-file'] ? { envFile: argv['env-file'] } : {}) });
      for (const w of inv.warnings) process.stderr.write(`${formatIssue({ ...w, message: `warning: ${w.message}` })}\n`);
      const summary = summarizeInventory(inv);
      const explained = argv.explain !== undefined ? explainConnection(inv, argv.explain) : undefined;
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
  },
};

export default validate;
