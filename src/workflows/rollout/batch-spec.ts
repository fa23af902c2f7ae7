/** `--batch N|N%`, as every rollout parses it; the CLI checks it with the same parser before anything loads. */
export { parseBatchSpec, type BatchSpec } from '../../planner/rolling.js';
