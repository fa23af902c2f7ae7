import type { Argv, CommandModule } from 'yargs';
import { ConfigError } from '../../errors.js';
import { tracked } from '../command-path.js';
import { wholeNumber } from '../options.js';
import type { LabLocation } from '../../lab/hosts/index.js';

/** The lab's host code (namespaces, sshd, keys), loaded when a lab command runs: `--help` and the rest never need it. */
const hosts = () => import('../../lab/hosts/index.js');

interface LabArgs {
  name: string;
  'state-dir'?: string;
}

interface UpArgs extends LabArgs {
  hosts?: number;
  names?: string;
  subnet?: string;
  inventory?: string;
  'sudo-password'?: boolean;
  bastion?: boolean;
  'bastion-subnet'?: string;
  init?: 'systemd';
  'controller-mbit'?: number;
  'forbid-tcp-forwarding'?: boolean;
}

interface RebootArgs extends LabArgs {
  host?: string[];
}

interface DistArgs {
  version: string;
  'out-dir': string;
  fault?: string;
  'update-level'?: number;
  'real-size': boolean;
}

const location = (argv: LabArgs): LabLocation => ({ name: argv.name, stateDir: argv['state-dir'] });

const labOptions = (y: Argv) =>
  y
    .option('name', { type: 'string', default: 'lab', describe: 'lab name (bridge, state directory)' })
    .option('state-dir', { type: 'string', describe: 'state directory (default: $APIM_LAB_DIR/<name> or .lab/<name>)' });

const up: CommandModule<object, UpArgs> = {
  command: 'up',
  describe: 'Create or converge the lab hosts (namespaces with their own sshd, address and filesystem)',
  builder: (y) =>
    labOptions(y)
      .option('hosts', { type: 'number', requiresArg: true, coerce: wholeNumber('hosts', 1, 200), describe: 'N hosts named host-1..host-N' })
      .option('names', { type: 'string', describe: 'comma-separated host names, e.g. cp-1,gw-1' })
      .option('subnet', { type: 'string', describe: 'private /24 for the lab (default 10.213.7.0/24)' })
      .option('inventory', { type: 'string', describe: 'take host names from this inventory (default inventories/lab.yaml)' })
      .option('sudo-password', { type: 'boolean', describe: 'sudo asks the login user (deploy) for a password, written to the lab\'s secrets.env' })
      .option('bastion', { type: 'boolean', describe: 'put the hosts on an internal network the controller reaches only through a bastion host' })
      .option('bastion-subnet', { type: 'string', requiresArg: true, describe: 'the /24 the bastion and the controller share (default: the lab subnet\'s third octet + 128)' })
      .option('init', { type: 'string', choices: ['systemd'], describe: 'boot hosts with the lab\'s systemd stand-in (systemctl, journalctl, enabled units started at boot)' })
      .option('controller-mbit', { type: 'number', requiresArg: true, coerce: wholeNumber('controller-mbit', 1, 100_000), describe: 'cap what the controller sends into the lab at N Mbit/s (tc on the lab bridge; host-to-host traffic is not capped)' })
      .option('forbid-tcp-forwarding', { type: 'boolean', describe: 'the hosts\' sshd allow no TCP forwarding (AllowTcpForwarding no), as CIS hardening asks; a bastion keeps it' })
      .conflicts('hosts', 'names')
      .example('$0 lab up', 'the hosts inventories/lab.yaml names, at 10.213.7.11-18')
      .example('$0 lab up --hosts 3 --name mine --subnet 10.213.9.0/24', 'host-1..3 in a second lab beside the first')
      .example('$0 lab up --bastion --sudo-password', 'hosts behind a jump host, sudo asking for a password, as enterprise VMs') as never,
  handler: async (argv) => {
    const { BASTION_NAME, hostsYamlPath, LOGIN_USER, secretsPath, knownHostsPath, labUp, sshConfigPath } = await hosts();
    const started = Date.now();
    const names = argv.names?.split(',').map((n) => n.trim()).filter((n) => n !== '');
    const state = await labUp({
      ...location(argv), hosts: argv.hosts, names, subnet: argv.subnet, inventory: argv.inventory,
      sudoPassword: argv['sudo-password'], bastion: argv.bastion, bastionSubnet: argv['bastion-subnet'], init: argv.init,
      controllerMbit: argv['controller-mbit'], forbidTcpForwarding: argv['forbid-tcp-forwarding'],
    });
    const loc = location(argv);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(`lab ${state.name}: ${state.hosts.length} hosts up on ${state.bridge} (${state.subnet}) in ${seconds} s\n`);
    for (const h of state.hosts) process.stdout.write(`  ${h.name.padEnd(12)} ${h.address}\n`);
    process.stdout.write(`known_hosts:        ${knownHostsPath(loc)}\n`);
    process.stdout.write(`inventory fragment: ${hostsYamlPath(loc)} (user ${LOGIN_USER}, become: sudo${state.bastion ? `, proxy_jump through ${BASTION_NAME}` : ''})\n`);
    if (state.controllerMbit) process.stdout.write(`controller link:    capped at ${state.controllerMbit} Mbit/s (tc tbf on ${state.bridge})\n`);
    if (state.sudoPassword) process.stdout.write(`sudo password:      SUDO_PASSWORD in ${secretsPath(loc)}\n`);
    process.stdout.write(`ssh into a host:    ssh -F ${sshConfigPath(loc)} ${state.hosts[0]?.name ?? 'HOST'}\n`);
  },
};

const down: CommandModule<object, LabArgs> = {
  command: 'down',
  describe: 'Remove every process, namespace, veth, bridge, mount and file the lab created',
  builder: (y) => labOptions(y).example('$0 lab down --name mine', 'remove the lab called mine') as never,
  handler: async (argv) => {
    const result = await (await hosts()).labDown(location(argv));
    const what = result.bridge ? `${result.hosts.length} hosts and bridge ${result.bridge}` : 'nothing was recorded';
    process.stdout.write(`lab ${argv.name} down: ${what} removed\n`);
  },
};

const reboot: CommandModule<object, RebootArgs> = {
  command: 'reboot',
  describe: 'Power-cycle lab hosts: end every process in them at once, then boot them (sshd, then enabled units with --init systemd)',
  builder: (y) =>
    labOptions(y)
      .option('host', { type: 'string', array: true, requiresArg: true, describe: 'a host to reboot (repeat, or comma-separate); default every host' })
      .example('$0 lab reboot', 'every host at once, as after a power cut')
      .example('$0 lab reboot --host gw-1', 'one host') as never,
  handler: async (argv) => {
    const started = Date.now();
    const names = (argv.host ?? []).flatMap((h) => h.split(',')).map((h) => h.trim()).filter((h) => h !== '');
    const state = await (await hosts()).labReboot({ ...location(argv), hosts: names });
    const which = names.length > 0 ? names.join(', ') : `all ${state.hosts.length} hosts`;
    process.stdout.write(`lab ${state.name}: rebooted ${which} in ${((Date.now() - started) / 1000).toFixed(1)} s (sshd answers; units start in the background)\n`);
  },
};

const status: CommandModule<object, LabArgs> = {
  command: 'status',
  describe: 'Show each lab host: address, sshd PID, alive, ssh login',
  builder: (y) => labOptions(y).example('$0 lab status', 'exit 1 when a host is down or does not answer SSH') as never,
  handler: async (argv) => {
    const { formatStatusTable, labStatus } = await hosts();
    const result = await labStatus(location(argv));
    if (!result.state) {
      process.stdout.write(`lab ${argv.name} is not up (no state recorded)\n`);
      return;
    }
    process.stdout.write(`lab ${result.state.name} on ${result.state.bridge} (${result.state.subnet})\n`);
    process.stdout.write(`${formatStatusTable(result.hosts)}\n`);
    if (result.hosts.some((h) => !h.alive || !h.sshReachable)) process.exitCode = 1;
  },
};

type BuildDistributions = (opts: { version: string; outDir: string; fault?: string; updateLevel?: number; realSize?: boolean }) => Promise<{ files: string[] }>;

const dist: CommandModule<object, DistArgs> = {
  command: 'dist',
  describe: 'Build simulated WSO2 API Manager distributions, the lab JDK (OpenJDK 17) and stand-in JDBC driver jars for the lab',
  builder: (y) =>
    y
      // Here --version names the APIM version to build, not apim-deploy's own: yargs reserves the name otherwise.
      .version(false)
      .option('version', { type: 'string', demandOption: true, describe: 'API Manager version, e.g. 4.6.0 or 4.3.0' })
      .option('out-dir', { type: 'string', default: './dist', requiresArg: true, describe: 'directory to write the zips, the JDK tarball and the driver jars into' })
      .option('update-level', { type: 'number', requiresArg: true, describe: 'build the packs at this WSO2 Updates level (the version stays; zips are named wso2am-acp-4.6.0.<level>.zip)' })
      .option('fault', { type: 'string', describe: 'build a faulty distribution (e.g. unhealthy) for rollback tests' })
      .option('real-size', { type: 'boolean', default: false, describe: 'pad each archive with incompressible bytes to about the real one\'s size (acp 450 MB, universal-gw 280 MB, tm 200 MB, JDK 195 MB), for benchmarks' })
      .example('$0 lab dist --version 4.6.0', 'wso2am-acp-4.6.0.zip, wso2am-universal-gw-4.6.0.zip, wso2am-tm-4.6.0.zip, ... into ./dist')
      .example('$0 lab dist --version 4.6.0 --update-level 12', 'wso2am-acp-4.6.0.12.zip, ...: 4.6.0 packs at update level 12, for a rolling update')
      .example('$0 lab dist --version 4.6.0 --fault unhealthy --out-dir dist-bad', 'a release that never becomes healthy')
      .example('$0 lab dist --version 4.6.0 --real-size --out-dir dist-big', 'archives of about the real sizes (1.6 GB), for benchmarks') as never,
  handler: async (argv) => {
    let build: BuildDistributions;
    try {
      // Loaded on demand: the distribution builder is a separate module with heavier dependencies.
      const module = (await import('../../lab/dist/build.js')) as { buildDistributions: BuildDistributions };
      build = module.buildDistributions;
    } catch (err) {
      throw new ConfigError(`the distribution builder cannot be loaded: ${(err as Error).message}`, [], 'check src/lab/dist/build.ts');
    }
    const { files } = await build({ version: argv.version, outDir: argv['out-dir'], fault: argv.fault, updateLevel: argv['update-level'], realSize: argv['real-size'] });
    for (const file of files) process.stdout.write(`${file}\n`);
  },
};

/** `apim-deploy lab up|down|reboot|status|dist`: the local test bed. */
const lab: CommandModule = {
  command: 'lab',
  describe: 'Local lab: hosts as Linux namespaces reachable over SSH, and simulated distributions',
  builder: (y) =>
    y
      .command(tracked(up))
      .command(tracked(down))
      .command(tracked(reboot))
      .command(tracked(status))
      .command(tracked(dist))
      .demandCommand(1, 'Name a lab command')
      .example('$0 lab up && $0 lab dist --version 4.6.0', 'the hosts inventories/lab.yaml names, and the packs it points at')
      .example('$0 provision -i inventories/lab.yaml', 'then deploy onto them as onto real VMs')
      .example('$0 lab down', 'remove all of it') as never,
  handler: () => undefined,
};

export default lab;
