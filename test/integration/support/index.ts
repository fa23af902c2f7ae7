/**
 * Shared helpers for integration tests on lab hosts. Typical file:
 *
 *   let lab: TestLab; let ws: Workspace;
 *   beforeAll(async () => { ws = await makeWorkspace('apim-x'); lab = await startLab({ name, names, subnet }); });
 *   afterAll(async () => { await lab?.down(); ws?.cleanup(); });
 *   const files = writeDeployment({ name, pattern: 3, hosts, roles, vars: baseVars(postgres('db-1')) }, lab, ws);
 *   const run = await provisionCli(files.inventory);   // { code, stdout, stderr, events }
 */
export { REPO_ROOT, startLab, type TestLab } from './lab.js';
export { makeWorkspace, type Workspace } from './workspace.js';
export { BASE_SECRETS, baseVars, inventoryDocument, postgres, writeDeployment, type DeploymentFiles, type DeploymentSpec } from './inventory.js';
export { changedCount, failureSummary, provisionCli, runCli, stepEnds, type CliResult } from './cli.js';
export { httpGet, pathExists, readPid, wso2PidFile, wso2Pids, type HttpAnswer } from './hosts.js';
export { healthEndpoints, unhealthyEndpoints, type NodeEndpoint } from './health.js';
