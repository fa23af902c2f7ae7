import { describe, expect, it } from 'vitest';
import { desiredState } from '../../../src/planner/desired-state.js';
import { stageSteps } from '../../../src/planner/rolling-stage.js';
import { converged, exampleInputs, fakeArtifact } from './fixtures.js';

describe('staging a new release before the first node stops', () => {
  it('unpacks it, uploads its configs, the internal CA and the JDBC driver into it; stops and switches nothing', async () => {
    const inputs = converged(await exampleInputs('lab'));
    const rebuilt = { ...inputs, artifacts: { ...inputs.artifacts, acp: fakeArtifact('acp', 'wso2am-acp-4.6.0.zip', 'a rebuilt pack') } };
    const desired = desiredState(rebuilt);
    const cp = desired.find((d) => d.host.name === 'cp-1')!.nodes[0]!;
    const staged = stageSteps(desired, rebuilt.state, [cp.node]).nodes;
    const release = cp.release!.dir;
    expect(staged.map((s) => s.kind)).toEqual(['extract-archive', 'run-once', 'upload-file', 'upload-file', 'upload-artifact']);
    expect(staged.filter((s) => s.kind === 'upload-artifact').map((s) => s.kind === 'upload-artifact' && s.path))
      .toEqual([`${release}/repository/components/lib/${inputs.artifacts['jdbc-driver']!.fileName}`]);
    expect(staged.some((s) => s.kind === 'upload-file' && s.path === `${release}/repository/resources/security/apim-deploy-ca.pem`)).toBe(true);
  });
});
