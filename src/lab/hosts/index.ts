/** The lab hosts API: Linux-namespace "VMs" reachable over real SSH, for the CLI, tests and benchmarks. */
export { labUp, type LabUpOptions } from './lab-up.js';
export { labDown, labDownLeftover, type LabDownResult } from './lab-down.js';
export { labReboot, type LabRebootOptions } from './lab-reboot.js';
export { labStatus, formatStatusTable, type LabHostStatus, type LabStatus } from './lab-status.js';
export { labExec, type LabExecResult } from './lab-exec.js';
export { controllerCap, controllerTxBytes } from './controller-cap.js';
export { DEFAULT_SUBNET } from './addresses.js';
export { bridgeName, innerBridgeName, vethName } from './names.js';
export { BASTION_NAME } from './network.js';
export { LOGIN_USER } from './login-user.js';
export {
  DEFAULT_LAB_NAME,
  clientKeyPath,
  hostDir,
  hostsYamlPath,
  knownHostsPath,
  secretsPath,
  sshConfigPath,
  labName,
  stateDir,
  statePath,
  type LabLocation,
} from './paths.js';
export type { LabHost, LabState, ProcessRef } from './state.js';
