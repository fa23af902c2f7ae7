import { basename } from 'node:path';
import type { Wso2ServerDefinition } from '../model/role.js';
import type { YamlSource } from '../yaml/source.js';

/**
 * A role.yaml as written, with each `setup` entry `{ shared: <key> }` replaced by roles/wso2-server.yaml's
 * `setups.<key>`, named `<role>-<key>`, in the role's own order. The shared entries were checked when wso2-server.yaml
 * loaded; a wrong reference is reported here, at its line, and dropped.
 */
export function withSharedSetups(written: unknown, server: Wso2ServerDefinition, src: YamlSource): unknown {
  if (!isMap(written) || !Array.isArray(written.setup)) return written;
  const serverFile = basename(server.file);
  const wso2 = isMap(written.runtime) && written.runtime.kind === 'wso2';
  const role = typeof written.name === 'string' ? written.name : '';
  const setup = written.setup.flatMap((entry: unknown, i: number) => {
    if (!isMap(entry) || !Object.hasOwn(entry, 'shared')) return [entry];
    const key = entry.shared;
    const extra = Object.keys(entry).filter((k) => k !== 'shared');
    if (extra.length > 0) {
      src.add(['setup', i, extra[0]!], `a shared setup entry holds only 'shared'; change ${serverFile} setups, or write the whole entry here`, 'key');
      return [];
    }
    if (!wso2) {
      src.add(['setup', i, 'shared'], `only a WSO2 server role (runtime kind: wso2) may use the setups of ${serverFile}`);
      return [];
    }
    if (typeof key !== 'string' || !Object.hasOwn(server.setups, key)) {
      const known = Object.keys(server.setups);
      src.add(['setup', i, 'shared'], `${serverFile} has no setup ${JSON.stringify(key)}; it has: ${known.join(', ') || 'none'}`);
      return [];
    }
    return [{ name: `${role}-${key}`, ...server.setups[key] }];
  });
  return { ...written, setup };
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
