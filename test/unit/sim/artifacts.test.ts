import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { artifactsFor, environmentsOf, gatewayLabelsOf } from '../../../sim/component/artifacts.js';
import { flatten, type TomlTable } from '../../../sim/component/placeholders.js';
import { DEFAULT_GATEWAY_LABELS, GATEWAY_LABEL_SOURCES } from '../../../sim/rules/defaults.js';
import { SOURCES } from '../../../sim/rules/sources.js';

const flat = (text: string) => flatten(parse(text) as TomlTable);

describe('gateway labels and environments (sim/rules/defaults.ts)', () => {
  it('a gateway without gateway_labels takes ["Default"] from the apimgt core default.json', () => {
    expect(gatewayLabelsOf(flat('[server]\nhostname = "gw"'))).toEqual(['Default']);
    expect(DEFAULT_GATEWAY_LABELS).toEqual(['Default']);
    for (const s of GATEWAY_LABEL_SOURCES) expect(SOURCES[s]).toBeTruthy();
    expect(gatewayLabelsOf(flat('[apim.sync_runtime_artifacts.gateway]\ngateway_labels = ["dc1", "dc2"]'))).toEqual(['dc1', 'dc2']);
  });

  it('a control plane deploys the sample API to each environment it defines, and a label sees it only when it matches', () => {
    const envs = environmentsOf(flat('[[apim.gateway.environment]]\nname = "dc1"\n[[apim.gateway.environment]]\nname = "dc2"'));
    expect(envs).toEqual(['dc1', 'dc2']);
    expect(artifactsFor(envs, 'dc2')).toEqual({ environments: ['dc1', 'dc2'], apis: ['echo'] });
    expect(artifactsFor(envs, 'Default')).toEqual({ environments: ['dc1', 'dc2'], apis: [] });
    expect(environmentsOf(flat('[server]\nhostname = "cp"'))).toEqual([]);
  });
});
