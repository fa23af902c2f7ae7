import { z } from 'zod';
import { ROLE_NAMES } from '../model/inventory.js';
import { BALANCER_KINDS, FILE_EACH, FILE_FORMATS, SETUP_STDIN_SECRETS } from '../model/role.js';
import { rangeProblem } from './semver.js';

/**
 * Built on first use, not when the module loads: zod builds each schema eagerly (some 35 ms for these on this kind of
 * machine), and a run whose role catalog comes from the cache (roles.ts cachedRoleCatalog) never checks a role file.
 */
let built: ReturnType<typeof buildRoleSchemas> | undefined;
export const roleSchemas = (): ReturnType<typeof buildRoleSchemas> => (built ??= buildRoleSchemas());

function buildRoleSchemas() {
  /** The written shape of roles/<role>/role.yaml. Unknown keys are errors (strict objects) to catch typos. */
  const range = z.string().refine((s) => rangeProblem(s) === undefined, {
    message: 'must be a version range like ">=4.5.0" or ">=4.0.0 <4.5.0"',
  });
  const argv = z.array(z.string().min(1)).min(1);
  const mode = z.string().regex(/^0[0-7]{3}$/, 'must be an octal mode in quotes, like "0600"');
  const roleName = z.enum(ROLE_NAMES);
  const name = z.string().regex(/^[a-z][a-z0-9_-]*$/, 'must be lower-case letters, digits, "_" and "-"');
  const port = z.number().int().min(1).max(65535);

  /** A bare dotted TOML key (what the templates write unquoted) and a plain TOML value. */
  const tomlKey = z.string().regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'must be a bare TOML key like apim.cors');
  const tomlScalar = z.union([z.string(), z.number(), z.boolean()]);
  const tomlValue = z.union([tomlScalar, z.array(tomlScalar)]);

  const when = z.strictObject({
    versions: range.optional(),
    databaseType: z.enum(['postgresql', 'mysql', 'h2']).optional(),
    serviceManager: z.enum(['script', 'systemd']).optional(),
    internalCa: z.boolean().optional(),
    ownKeystores: z.boolean().optional(),
    balancer: z.enum(BALANCER_KINDS).optional(),
    clients: z.enum(['blue', 'green']).optional(),
    migration: z.boolean().optional(),
  });

  const writeWindow = z.strictObject({ file: z.string().regex(/^[a-z0-9-]+\/[A-Za-z0-9._-]+$/, 'must be <folder>/<file> under templates/'), dest: z.string().regex(/^\/[A-Za-z0-9._/-]+$/, 'must be an absolute path'),
    runtime: argv.optional(), lifted: z.enum(['absent', 'empty']).optional() });
  const balancer = z.strictObject({ drain: z.enum(['reload', 'runtime']), state: argv, set: argv.optional(), sessions: argv.optional(), writeWindow: writeWindow.optional(),
    switchFlag: z.string().regex(/^\/[A-Za-z0-9._/-]+$/, 'must be an absolute path').optional() })
    .refine((b) => b.drain !== 'runtime' || b.set !== undefined, { message: 'drain: runtime needs `set`', path: ['set'] });

  /** A one-time command guarded by a marker; a role's `setup` entry adds its name (roles/wso2-server.yaml `setups` do not). */
  const setupName = z.string().regex(/^[a-z0-9-]+$/, 'must be lower-case words joined by -');
  const setupFields = z.strictObject({
    when: when.optional(),
    argv,
    marker: z.string().min(1),
    script: z.string().min(1).optional(),
    rerunWhenChanged: z.array(z.string().min(1)).default([]),
    whileRunning: z.boolean().default(false),
    inRelease: z.boolean().default(false),
    stdin: z.enum(SETUP_STDIN_SECRETS).optional(),
  });

  /** inRelease runs before the component starts, on the release alone (model/role.ts SetupSpec.inRelease). */
  const setupRules = (s: { readonly inRelease: boolean; readonly whileRunning: boolean; readonly marker: string }, ctx: z.RefinementCtx): void => {
    if (s.inRelease && s.whileRunning) ctx.addIssue({ code: 'custom', path: ['inRelease'], message: 'a setup that runs while the component is up cannot also be inRelease (done before it starts)' });
    if (s.inRelease && !s.marker.startsWith('{home}/')) ctx.addIssue({ code: 'custom', path: ['marker'], message: 'an inRelease setup keeps its marker in the release: {home}/…' });
  };
  const setupSpec = setupFields.superRefine(setupRules);

  const wso2Runtime = z.strictObject({
    kind: z.literal('wso2'),
    serverRole: z.string().min(1),
    variants: z
      .array(
        z.strictObject({
          versions: range,
          distribution: name.refine((d) => d !== 'jdk' && d !== 'jdbc-driver', 'jdk and jdbc-driver name other files'),
          script: z.string().min(1),
          args: z.array(z.string()).default([]),
        }),
      )
      .min(1),
    pidFile: z.string().min(1),
    logFile: z.string().min(1),
    persistentDirs: z.array(z.string().min(1)).default([]),
  });

  const serviceRuntime = z.strictObject({
    kind: z.literal('service'),
    variants: z
      .array(
        z.strictObject({
          when: when.optional(),
          start: argv,
          stop: argv,
          reload: argv,
          isRunning: argv,
          configTest: argv.optional(),
          logFile: z.string().min(1),
          packages: z.array(z.string().min(1)).default([]),
          reservedUsers: z.array(z.string().regex(/^[a-z_][a-z0-9_.-]*\*?$/, 'must be an account name, optionally ending in *')).default([]),
          bootUnit: z.string().regex(/^[A-Za-z0-9@._-]+\.service$/, 'must be a systemd service name').optional(),
          balancer: balancer.optional(),
        }),
      )
      .min(1),
  });

  const healthCheck = z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('http'),
      url: z.string().regex(/^https?:\/\//, 'must start with http:// or https://'),
      expectStatus: z.array(z.number().int().min(100).max(599)).min(1),
      from: z.enum(['host', 'controller']).default('host'),
      insecureTls: z.boolean().default(false),
      bodyContains: z.string().optional(),
      when: when.optional(),
    }),
    z.strictObject({
      kind: z.literal('tcp'),
      host: z.string().min(1),
      /** Base port, or a name from `ports`: the node's offset is added. */
      port: z.union([port, name]),
      from: z.enum(['host', 'controller']).optional(),
      when: when.optional(),
    }),
    z.strictObject({ kind: z.literal('log'), file: z.string().min(1), pattern: z.string().min(1), when: when.optional() }),
    z.strictObject({ kind: z.literal('command'), argv, when: when.optional() }),
  ]);

  const roleFileSchema = z.strictObject({
    name: roleName,
    summary: z.string().min(1),
    dependsOn: z.array(roleName).default([]),
    runtime: z.discriminatedUnion('kind', [wso2Runtime, serviceRuntime]),
    files: z.array(
      z.strictObject({
        template: z.string().regex(/\.eta$/, 'must name a .eta file under templates/'),
        dest: z.string().min(1),
        format: z.enum(FILE_FORMATS),
        mode,
        owner: z.string().min(1),
        group: z.string().min(1),
        onChange: z.enum(['restart', 'reload', 'none']),
        when: when.optional(),
        each: z.enum(FILE_EACH).optional(),
        params: z.record(z.string().regex(/^[a-z][A-Za-z0-9]*$/, 'must be a camelCase name'), z.string()).optional(),
      }),
    ),
    absent: z.array(z.strictObject({ dest: z.string().regex(/^\/[A-Za-z0-9._/-]+$/, 'must be an absolute path'), when })).default([]),
    present: z.array(z.strictObject({ dest: z.string().regex(/^\/[A-Za-z0-9._/-]+$/, 'must be an absolute path'), mode, owner: z.string().min(1), group: z.string().min(1), when })).default([]),
    ports: z.record(name, port),
    databases: z.array(z.strictObject({ versions: range, names: z.array(z.enum(['apim_db', 'shared_db'])).min(1) })).default([]),
    shipped: z
      .array(
        z.strictObject({
          versions: range,
          tables: z.record(tomlKey, z.record(tomlKey, tomlValue)).default({}),
          arrays: z.record(tomlKey, z.array(z.record(tomlKey, tomlValue)).min(1)).default({}),
        }),
      )
      .default([]),
    health: z.strictObject({
      checks: z.array(healthCheck).min(1),
      policy: z.strictObject({
        timeoutMs: z.number().int().positive(),
        firstIntervalMs: z.number().int().positive(),
        maxIntervalMs: z.number().int().positive(),
        settleMs: z.number().int().min(0),
      }),
    }),
    upgrade: z.strictObject({ maxBatch: z.number().int().min(1).optional() }).default({}),
    setup: z.array(setupFields.extend({ name: setupName }).superRefine(setupRules)).default([]),
    migration: z
      .array(
        z.strictObject({
          when: when.optional(),
          backupExtension: z.string().regex(/^[a-z0-9]+$/, 'must be a file extension without the dot, like dump'),
          backupOwner: z.string().regex(/^[a-z_][a-z0-9_-]*(:[a-z_][a-z0-9_-]*)?$/, 'must be user or user:group'),
          backup: argv,
          create: argv,
          restore: argv,
          script: argv,
          scriptDone: argv,
          scripts: z.strictObject({ apim_db: z.string().min(1), shared_db: z.string().min(1) }),
        }),
      )
      .default([]),
  });

  /** roles/wso2-server.yaml: what every WSO2 server role shares. */
  const jdbcType = z.strictObject({
    type: z.string().regex(/^[a-z0-9]+$/),
    driver: z.string().regex(/^[A-Za-z0-9_.$]+$/),
    scheme: z.string().regex(/^jdbc:[a-z0-9]+$/),
    parameters: z.string().default(''),
  });
  const control = z.strictObject({ start: argv, stop: argv });
  /** Narrows a password refusal to some variables and some patterns (each: all when absent). */
  const refusalScope = {
    variables: z.array(z.string().min(1)).optional(),
    patterns: z.array(z.string().min(1)).optional(),
    why: z.string().min(1),
  };

  const wso2ServerSchema = z.strictObject({
    versions: range,
    versionPolicy: z.strictObject({
      schemaChangesWith: z.enum(['major', 'minor', 'patch']),
      migrateCommand: z.string().min(1),
    }),
    control: z.strictObject({ script: control, systemd: control }),
    env: z.record(z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name'), z.string()),
    distributions: z.record(name, z.strictObject({ topDirPrefix: z.string().regex(/^[a-z0-9][a-z0-9.-]*-$/, 'must be a directory name prefix ending in "-"') })),
    passwordRefusals: z.array(z.union([
      z.strictObject({ text: z.string().min(1), ...refusalScope }),
      z.strictObject({ anyOf: z.string().min(1), ...refusalScope }),
      z.strictObject({ control: z.literal(true), ...refusalScope }),
    ])).default([]),
    jdbc: z.strictObject({
      postgresql: jdbcType,
      mysql: jdbcType,
    }),
    deploymentToml: z.strictObject({
      file: z.string().min(1),
      owned: z.array(z.strictObject({
        key: z.string().regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'must be a dotted key of bare TOML names'),
        by: z.string().min(1),
        appendable: z.boolean().default(false),
      })),
    }),
    setups: z.record(setupName, setupSpec).default({}),
    jvmOptions: z.strictObject({
      owned: z.array(z.strictObject({
        pattern: z.string().min(1).refine((p) => { try { new RegExp(p); return true; } catch { return false; } }, 'must be a regular expression'),
        by: z.string().min(1),
      })),
    }),
  });

  return { roleFileSchema, wso2ServerSchema };
}
