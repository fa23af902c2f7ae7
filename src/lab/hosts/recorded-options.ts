import type { LabUpOptions } from './lab-up.js';
import type { LabState } from './state.js';

/** The options a lab records at `lab up`, as `lab up` takes them: what `lab reboot` brings the lab up with again. */
export type RecordedUpOptions = Pick<LabUpOptions, 'subnet' | 'sudoPassword' | 'rootLogin' | 'bastion' | 'bastionSubnet' | 'init' | 'forbidTcpForwarding' | 'controllerMbit'>;

/**
 * The options the state holds exactly as `lab up` took them, under the same name (the subnet, the bastion and the sudo
 * password are recorded as what they became). One list for both directions: `lab up` writes these, `lab reboot` reads them.
 */
const AS_GIVEN = ['rootLogin', 'init', 'forbidTcpForwarding', 'controllerMbit'] as const satisfies readonly (keyof LabState & keyof LabUpOptions)[];
type AsGiven = { readonly [K in (typeof AS_GIVEN)[number]]?: LabState[K] & LabUpOptions[K] };

/** The as-given options that are set (an unset or false one is not recorded). */
export function asGivenOptions(from: AsGiven): AsGiven {
  return Object.fromEntries(AS_GIVEN.filter((k) => from[k]).map((k) => [k, from[k]])) as AsGiven;
}

/** The options a lab was brought up with, read back from its state; an option not recorded is left unset. */
export function upOptionsFromState(state: LabState): RecordedUpOptions {
  return {
    subnet: state.subnet,
    sudoPassword: state.sudoPassword ?? false,
    ...(state.bastion ? { bastion: true, bastionSubnet: state.bastion.subnet } : {}),
    ...asGivenOptions(state),
  };
}
