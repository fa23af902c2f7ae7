import type { HostState } from '../../planner/inputs.js';

/**
 * What the planner assumes about a host it could not read (dry run only): nothing installed, nothing running.
 * The plan then shows the host's full install, which is what a fresh machine would get.
 */
export function freshHostState(): HostState {
  return {
    facts: { files: {}, unreadable: [], links: {}, pids: {}, markers: {}, os: null, arch: '', disk: null, listening: [] },
    serviceRunning: {},
  };
}
