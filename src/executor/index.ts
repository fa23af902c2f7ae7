export { executePlan, DEFAULT_CONCURRENCY, type ExecuteOptions } from './execute-plan.js';
export type { RunResult, StepResult, RootCause } from './result.js';
export { DriftError } from './error-detail.js';
export { TypedEmitter } from './emitter.js';
