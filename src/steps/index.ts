export { stepKinds, stepKindOf, stepMutates, stepWaits, describeStep, previewStep, type StepKindRegistry } from './registry.js';
export type { StepContext, StepKind, StepOutcome } from './step-kind.js';
export { execChecked, exitMeaning } from './exec.js';
export { remoteSha256, livePid } from './remote-facts.js';
