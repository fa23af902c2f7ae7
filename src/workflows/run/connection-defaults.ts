/**
 * For the CLI: the run's `--ssh-config` and the terminal's passphrase prompt, for every connection this process
 * opens. A module of its own so that setting them does not load the SSH stack (connect.ts does).
 */
export { setConnectionDefaults } from '../../transport/process-defaults.js';
