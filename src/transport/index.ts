/** The transport's public surface: open one transport per host, then use only the Transport interface. */
export type { Arg, ExecResult, PutOptions, RemoteCommand, RemoteStat, Transport } from './transport.js';
export { openTransports, closeAll, splitOpened, ConnectionCounter, connectionCounter } from './open.js';
export type { OpenOptions, TransportMap } from './open.js';
export { connectSsh, SshTransport, type SshOptions } from './ssh.js';
export { LocalTransport } from './local.js';
