import { PLAN_FORMAT, type Plan, type Step } from '../../../src/model/plan.js';

/** A reload-component step is the simplest "runs one command" step: `work <id>` on its host. */
export function work(host: string, name: string, after: string[] = []): Step {
  return {
    id: `${host}/${name}`, host, kind: 'reload-component', component: 'gateway', argv: ['work', `${host}/${name}`],
    reason: 'test', certainty: 'certain', after,
  };
}

export function plan(...waves: [label: string, steps: Step[]][]): Plan {
  return {
    format: PLAN_FORMAT, inventory: '/inv/lab.yaml', apimVersion: '4.6.0', createdAt: '2026-01-01T00:00:00Z',
    factsFingerprint: {}, unchanged: [], waves: waves.map(([label, steps]) => ({ label, steps })),
  };
}
