/**
 * The one home of integration-test helpers: lab hosts, workspaces, inventories, the CLI, HTTP and health from the
 * controller, a throwaway PostgreSQL and nginx on this machine, and a load generator. Typical lab file:
 *
 *   const lab = useLab({ workspace: 'apim-x', lab: { name: 't-x', names, subnet: '10.213.250.0/24' } });
 *   const files = lab.deploy({ name, pattern: 3, hosts, roles, vars: baseVars(postgres('db-1')) });   // in a test or hook
 *   const run = await provisionCli(files.inventory);   // { code, stdout, stderr, events }
 */
export { REPO_ROOT, startLab, type TestLab } from './lab.js';
export { makeWorkspace, type Workspace } from './workspace.js';
export { BASE_SECRETS, baseVars, inventoryDocument, postgres, writeDeployment, type DeploymentFiles, type DeploymentSpec } from './inventory.js';
export { changedCount, failureSummary, interruptCli, provisionCli, runCli, stepEnds, type CliResult, type InterruptedRun } from './cli.js';
export { useLab, type LabFixture, type LabFixtureOptions } from './lab-fixture.js';
export { pathExists, readPid, wso2PidFile, wso2Pids } from './hosts.js';
export { httpGet, tryGet, tryRequest, waitForStatus, type HttpAnswer } from './http.js';
export { basicAuthorization, publisherApis, publisherToken, type PublisherAnswer } from './publisher.js';
export { freePort, freePortOffset, portFree } from './ports.js';
export { alive, runScript, type ScriptResult } from '../../support/processes.js';
export { startPostgres, type Postgres } from './postgres.js';
export { startNginx, type LocalNginx } from './nginx.js';
export { startLoad, type Load, type LoadOptions, type LoadReport } from './load.js';
export { sleep, waitFor } from '../../support/wait.js';
export { healthEndpoints, unhealthyEndpoints, type NodeEndpoint } from './health.js';
export { MIGRATION_BLUE, MIGRATION_BLUE_NODES, MIGRATION_GREEN, migrationLab, type MigrationLab } from './migration-lab.js';
