/**
 * Which gateways serve the sample API (GET /echo). A control plane deploys it to every gateway environment it
 * defines ([[apim.gateway.environment]] name); a gateway deploys only what is deployed to one of its labels
 * ([apim.sync_runtime_artifacts.gateway] gateway_labels, default ["Default"]: sim/rules/defaults.ts). Gateways
 * pull from their event hub's internal data API (/internal/data/v1, docsDistributed); the path and JSON below are
 * the simulator's own, not the product's.
 */
import type { Flat } from './placeholders.js';
import { fetchText } from './peers.js';
import type { TrustVerifier } from './trust.js';
import { DEFAULT_GATEWAY_LABELS } from '../rules/defaults.js';

export const SAMPLE_API = 'echo';
export const ARTIFACTS_PATH = '/internal/data/v1/runtime-artifacts';

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export function environmentsOf(flat: Flat): string[] {
  const envs = flat.get('apim.gateway.environment');
  if (!Array.isArray(envs)) return [];
  return envs.flatMap((e) => (e !== null && typeof e === 'object' && typeof (e as Record<string, unknown>)['name'] === 'string' ? [(e as Record<string, string>)['name']!] : []));
}

export function gatewayLabelsOf(flat: Flat): string[] {
  const labels = flat.get('apim.sync_runtime_artifacts.gateway.gateway_labels');
  return labels === undefined ? [...DEFAULT_GATEWAY_LABELS] : strings(labels);
}

/** The control plane's answer for one label. */
export function artifactsFor(environments: readonly string[], label: string): { environments: string[]; apis: string[] } {
  return { environments: [...environments], apis: environments.includes(label) ? [SAMPLE_API] : [] };
}

export type PullResult = { readonly apis: string[]; readonly environments: string[] } | { readonly error: string };

/** Pulls every label's APIs from the event hub behind `serviceUrl` (same scheme, host and port). */
export async function pullArtifacts(serviceUrl: string, labels: readonly string[], trust: TrustVerifier | undefined): Promise<PullResult> {
  let origin: string;
  try {
    origin = new URL(serviceUrl).origin;
  } catch {
    return { error: `"${serviceUrl}" is not a URL` };
  }
  const apis = new Set<string>();
  let environments: string[] = [];
  for (const label of labels) {
    const answer = await fetchText(`${origin}${ARTIFACTS_PATH}?gatewayLabel=${encodeURIComponent(label)}`, trust);
    if ('error' in answer) return { error: answer.error };
    if (answer.status !== 200) return { error: `HTTP ${answer.status} from ${origin}${ARTIFACTS_PATH}` };
    try {
      const parsed = JSON.parse(answer.body) as { apis?: unknown; environments?: unknown };
      for (const api of strings(parsed.apis)) apis.add(api);
      environments = strings(parsed.environments);
    } catch {
      return { error: `unreadable answer from ${origin}${ARTIFACTS_PATH}` };
    }
  }
  return { apis: [...apis], environments };
}
