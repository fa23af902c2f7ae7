/**
 * `npm run bench`: every figure, printed (no assertions): the CLI's start-up (`--help`, `validate` of 10 hosts) beside
 * its targets (bench/startup.ts), provision on 8 lab hosts (bench/provision.ts) against
 * the yardstick in shared/reference/lab-notes.md, what root-direct, sudo and a bastion cost side by side
 * (bench/access.ts), the same pattern with real-size archives beside plain OpenSSH's floors (bench/real-size.ts; about
 * 1.6 GB of archives under the temp directory while it runs), then the lab hosts themselves (bench/lab.ts). Needs root.
 */
import { benchProvision } from './provision.js';
import { benchStartup } from './startup.js';

/** The same work on the same kind of machine, 8 hosts (lab-notes.md, "The yardstick we compare against"). */
const YARDSTICK_8_HOSTS = [
  { tool: 'Ansible 2.14, tuned', coldS: 59.5, noopS: 38.9 },
  { tool: 'plain OpenSSH script, one multiplexed connection per host', coldS: 11.7, noopS: 2.4 },
];

await benchStartup();
console.log('');

const runs = await benchProvision();
const cold = runs.find((r) => r.label === 'cold')!;
const noop = runs.find((r) => r.label === 'no-op re-run')!;
console.log('\nyardstick, 8 hosts (cold / no-op):');
for (const y of YARDSTICK_8_HOSTS) console.log(`  ${y.tool.padEnd(58)} ${y.coldS.toFixed(1)} s / ${y.noopS.toFixed(1)} s`);
console.log(`  ${'apim-deploy (this run, in-process)'.padEnd(58)} ${(cold.totalMs / 1000).toFixed(1)} s / ${(noop.totalMs / 1000).toFixed(1)} s`);

await (await import('./access.js')).benchAccess();

console.log('');
await (await import('./real-size.js')).benchRealSize();

console.log('\nlab hosts:');
await import('./lab.js');

console.log('\narchive recognition at validate time:');
await import('./archives.js');
