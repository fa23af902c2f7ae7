import { parseTomlKeyPath, type TomlKeyPath, type TomlOverrideLayer, type TomlTable } from '../model/toml-overrides.js';
import type { DocPath } from '../yaml/source.js';
import type { Vars } from './variables.js';

/** One vars block's deployment_toml with the force / replace lists written beside it (checked already). */
export function tomlOverrideLayer(at: DocPath, vars: Vars): TomlOverrideLayer {
  const keys = (name: string): TomlKeyPath[] => ((vars[name] as readonly string[] | undefined) ?? []).map((k) => parseTomlKeyPath(k) ?? [k]);
  return {
    at: [...at, 'deployment_toml'],
    table: vars['deployment_toml'] as TomlTable,
    replace: keys('deployment_toml_replace'),
    force: keys('deployment_toml_force'),
  };
}
