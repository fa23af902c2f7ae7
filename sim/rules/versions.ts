/**
 * The API Manager versions whose shipped files were read (see sources.ts). Other versions get no version-specific
 * rule: where the sources were not read, the simulator stays lenient rather than guess.
 */
import type { Component } from '../component/args.js';

export type DataVersion = '4.5' | '4.6' | '4.7';

export function dataVersion(version: string): DataVersion | undefined {
  const m = /^4\.([567])\.\d+$/.exec(version);
  return m ? (`4.${m[1]}` as DataVersion) : undefined;
}

/** The pack a component runs from in 4.5+: a key manager is the control plane pack with the key-manager profile. */
export type Pack = 'all-in-one' | 'control-plane' | 'gateway' | 'traffic-manager';

export function packOf(component: Component): Pack {
  return component === 'key-manager' ? 'control-plane' : component;
}
