/**
 * Test releases named as WSO2 names updated images: `4.6.0` is the pack as released, `4.6.0.12` the same version at
 * update level 12 (`lab dist --update-level 12`, zips `wso2am-acp-4.6.0.12.zip`). The inventory's apim.version is the
 * x.y.z part in both; the pack paths carry the level.
 */
export interface ReleaseLabel {
  readonly version: string;
  readonly updateLevel: number;
}

export function parseRelease(label: string): ReleaseLabel {
  const m = /^(\d+\.\d+\.\d+)(?:\.(\d+))?$/.exec(label);
  if (!m) throw new Error(`"${label}" is not a release like 4.6.0 or 4.6.0.12`);
  return { version: m[1]!, updateLevel: Number(m[2] ?? 0) };
}

/** `wso2am-acp-{version}.zip` for 4.6.0, `wso2am-acp-{version}.12.zip` for 4.6.0.12. */
export function packFile(prefix: string, label: string): string {
  const { updateLevel } = parseRelease(label);
  return `${prefix}{version}${updateLevel > 0 ? `.${updateLevel}` : ''}.zip`;
}

/** The label of a node's release: its version and, when above 0, its update level. */
export const releaseLabel = (version: string, updateLevel: number): string => (updateLevel > 0 ? `${version}.${updateLevel}` : version);

/** The release a node's GET /echo answer names (sim/component/http-handlers.ts: version and updateLevel). */
export function echoRelease(body: string): string {
  const { version, updateLevel } = JSON.parse(body) as { version: string; updateLevel?: number };
  return releaseLabel(version, updateLevel ?? 0);
}
