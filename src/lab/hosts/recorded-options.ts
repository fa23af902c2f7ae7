import type { LabUpOptions } from './lab-up.js';
import type { LabState } from './state.js';

/** The options a lab records at `lab up`, as `lab up` takes them: what `lab reboot` brings the lab up with again. */
export type RecordedUpOptions = Pick<LabUpOptions, 'subnet' | 'sudoPassword' | 'rootLogin' | 'bastion' | 'bastionSubnet' | 'init' | 'forbidTcpForwarding' | 'controllerMbit'>;

/** The options a lab was brought up with, read back from its state; an option not recorded is left unset. */
export function upOptionsFromState(state: LabState): RecordedUpOptions {
  return {
    subnet: state.subnet,
    sudoPassword: state.sudoPassword ?? false,
    rootLogin: state.rootLogin ?? false,
    ...(state.bastion ? { bastion: true, bastionSubnet: state.bastion.subnet } : {}),
    ...(state.init ? { init: state.init } : {}),
    ...(state.forbidTcpForwarding ? { forbidTcpForwarding: true } : {}),
    ...(state.controllerMbit ? { controllerMbit: state.controllerMbit } : {}),
  };
}
