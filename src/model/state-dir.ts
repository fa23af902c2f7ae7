/** apim-deploy's own state on every host (markers, pending restarts, the deploy lock); src/topology/layout.ts re-exports it. */
export const STATE_DIR = '/var/lib/apim-deploy';
