import type { Argv } from 'yargs';
import { batchOption, hostOptions, jsonOption, limitOption, reportOption, secondsOption, verifyOption, wholeNumber, type HostArgs } from './options.js';

/** Options upgrade and rollback share: they mean the same on both. */
export interface RollingArgs extends HostArgs {
  json: boolean;
  'health-timeout'?: number;
  'lock-wait': number;
  batch: string;
  limit?: string;
  'max-fail': number;
  'dry-run': boolean;
  report?: string;
  verify: boolean;
}

export function rollingOptions<T>(y: Argv<T>, what: string) {
  return verifyOption(reportOption(limitOption(batchOption(
    secondsOption(secondsOption(jsonOption(hostOptions(y), 'print one JSON event per line instead of progress'),
      'health-timeout', "seconds each node may take to pass its health gate (default: the role's)", 1),
    'lock-wait', "seconds to wait for another run's deploy lock before refusing", 0, 0),
  'gateways/key managers per batch: a count or a percentage (25%); never the whole role'), 'only nodes on these hosts (names, role names or globs, comma-separated)')))
    .option('max-fail', { type: 'number', default: 0, requiresArg: true, coerce: wholeNumber('max-fail', 0), describe: 'nodes that may fail their gate (and be rolled back) before the rollout stops' })
    .option('dry-run', { type: 'boolean', default: false, describe: `show ${what} (drain, switch, undrain per batch) with diffs, touching nothing` });
}
