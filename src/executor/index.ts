export { executePlan, DEFAULT_CONCURRENCY, type ExecuteOptions } from './execute-plan.js';
export type { RunResult, StepResult, RootCause } from './result.js';
export { DriftError } from '../errors.js';
export { TypedEmitter } from './emitter.js';
