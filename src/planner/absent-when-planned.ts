import type { HostState } from './inputs.js';

/**
 * An upload's flag for a path the host probe found no file at (neither there nor unreadable): the step then uploads
 * without hashing the path first (steps/upload-artifact.ts). Not set where the probe did not ask.
 */
export const absentWhenPlanned = (facts: HostState['facts'], path: string): { absentWhenPlanned?: true } =>
  (facts.files[path] === null && !facts.unreadable.includes(path) ? { absentWhenPlanned: true } : {});
