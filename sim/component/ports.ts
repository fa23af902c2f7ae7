/**
 * Default ports per component (reference §2) and the `[server] offset` / `-DportOffset` shift; the WebSocket
 * inbound endpoints shift too (`ws.use.port.offset`: rules/defaults.ts WEBSOCKET_PORTS).
 */
import type { Component } from './args.js';
import { WEBSOCKET_PORTS } from '../rules/defaults.js';

export type PortName = 'https' | 'http' | 'passthroughHttp' | 'passthroughHttps' | 'websocket' | 'websocketSecure' | 'amqp' | 'binary' | 'binarySsl';

export const BASE_PORTS: Readonly<Record<PortName, number>> = {
  https: 9443,
  http: 9763,
  passthroughHttp: 8280,
  passthroughHttps: 8243,
  websocket: WEBSOCKET_PORTS.ws,
  websocketSecure: WEBSOCKET_PORTS.wss,
  amqp: 5672,
  binary: 9611,
  binarySsl: 9711,
};

const SERVLET: readonly PortName[] = ['https', 'http'];
const GATEWAY: readonly PortName[] = ['passthroughHttp', 'passthroughHttps', 'websocket', 'websocketSecure'];
const BROKER: readonly PortName[] = ['amqp', 'binary', 'binarySsl'];

export const COMPONENT_PORTS: Readonly<Record<Component, readonly PortName[]>> = {
  'all-in-one': [...SERVLET, ...GATEWAY, ...BROKER],
  'control-plane': [...SERVLET, ...BROKER],
  'key-manager': [...SERVLET],
  gateway: [...SERVLET, ...GATEWAY],
  'traffic-manager': [...SERVLET, ...BROKER],
};

/** `-DportOffset` wins over `[server] offset`, as the system property does in Carbon. */
export function effectiveOffset(tomlOffset: unknown, argOffset: number | undefined): number {
  if (argOffset !== undefined) return argOffset;
  if (tomlOffset === undefined) return 0;
  const n = typeof tomlOffset === 'string' ? Number(tomlOffset) : tomlOffset;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 50000) {
    throw new Error(`[server] offset must be a non-negative integer, got ${JSON.stringify(tomlOffset)}`);
  }
  return n;
}

export function portsFor(component: Component, offset: number): Partial<Record<PortName, number>> {
  const out: Partial<Record<PortName, number>> = {};
  for (const name of COMPONENT_PORTS[component]) out[name] = BASE_PORTS[name] + offset;
  return out;
}
