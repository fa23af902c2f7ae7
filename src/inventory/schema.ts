import { z } from 'zod';
import { connectionShape } from './connection-keys.js';

/**
 * The inventory as the operator writes it (before normalization). Unknown keys are errors everywhere.
 * Variables (`vars`) are checked separately against src/inventory/variables.ts, which knows each one.
 */
const artifact = z.strictObject({ path: z.string().min(1), sha256: z.string().optional() });
const roleAssignments = z.record(z.string(), z.array(z.string()));
const vars = z.record(z.string(), z.unknown());

const host = z.strictObject({
  address: z.string().optional(),
  connection: z.enum(['ssh', 'local']).optional(),
  ...connectionShape,
  vars: vars.optional(),
  port_offsets: z.record(z.string(), z.number().int().min(0).max(50000)).optional(),
});

export const writtenInventory = z.strictObject({
  name: z.string(),
  pattern: z.union([z.string(), z.number()]),
  apim: z.strictObject({
    version: z.string(),
    distributions: z.record(z.string(), artifact),
    jdk: z.strictObject({ path: z.string().min(1), sha256: z.string().optional(), version: z.string().optional() }),
    jdbc_driver: artifact.optional(),
  }),
  defaults: z.strictObject(connectionShape).optional(),
  vars: vars.optional(),
  role_vars: z.record(z.string(), vars).optional(),
  hosts: z.record(z.string(), host),
  roles: roleAssignments.optional(),
  datacenters: z.record(z.string(), z.strictObject({ roles: roleAssignments, vars: vars.optional(), ...connectionShape })).optional(),
  /** `migrate`: blue WSO2 host → the host its green partner runs on (src/inventory/green.ts). */
  green: z.record(z.string(), z.strictObject({ name: z.string().optional(), address: z.string() })).optional(),
});

export type WrittenInventory = z.infer<typeof writtenInventory>;
export type WrittenHost = z.infer<typeof host>;

/** What a required key holds, for the "missing" message. */
export const REQUIRED_KEY_HINTS: Readonly<Record<string, string>> = {
  name: 'the environment name, like eu-prod',
  pattern: 'one of 0 1 2 3 4 5 multi-dc-active-active multi-dc-active-passive',
  apim: 'the APIM version and distributions',
  'apim.version': 'the APIM version, like 4.6.0',
  'apim.distributions': 'the distribution packs, like { acp: { path: dist/wso2am-acp-{version}.zip } }',
  'apim.jdk': 'the JDK tarball, like { path: dist/jdk-21.tar.gz }',
  hosts: 'the machines, like { cp-1: { address: 10.0.1.11 } }',
  path: 'a local file path, relative to the inventory file',
  roles: 'which hosts play which role, like { gateway: [gw-1] }',
};
