/**
 * Which distributions a version ships (reference §1.1, §1.2): 4.5+ one pack per component, 4.0–4.4 one
 * all-in-one pack with `-Dprofile=` profiles.
 */
export interface PackSpec {
  readonly zipName: string;
  readonly topDir: string;
  readonly product: string;
  /** Start scripts under bin/, without `.sh`. */
  readonly scripts: readonly string[];
  /** Which sim/pack/conf/<name>.toml becomes repository/conf/deployment.toml. */
  readonly defaultConf: string;
  /** deployment-templates/<profile>.toml → sim/pack/conf/<conf>.toml; their keys are profileSetup.sh's profiles. */
  readonly templates: Readonly<Record<string, string>>;
  readonly profiles: boolean;
  readonly webapps: readonly string[];
  readonly websocketEndpoints: boolean;
  /**
   * About what the real pack weighs, for `lab dist --real-size` (benchmarks): the estimates in issue 13 (acp 450 MB,
   * universal-gw 280 MB, tm 200 MB). No figure was given for the all-in-one pack: the ACP's is used.
   */
  readonly realSizeMb: number;
}

export interface ApimVersion {
  readonly text: string;
  readonly minor: number;
}

export function parseVersion(text: string): ApimVersion | undefined {
  const m = /^4\.(\d+)\.(\d+)$/.exec(text);
  return m ? { text, minor: Number(m[1]) } : undefined;
}

/** The JDK range the start script's check prints (reference §1.4). */
export function jdkRange(v: ApimVersion): { min: number; max: number } {
  if (v.minor <= 1) return { min: 8, max: 11 };
  if (v.minor === 2) return { min: 11, max: 17 };
  if (v.minor <= 6) return { min: 11, max: 21 };
  return { min: 21, max: 25 };
}

const PORTALS = ['publisher', 'devportal', 'admin'];
const GATEWAY_API = 'api#am#gateway#v2';

export function packsFor(v: ApimVersion): PackSpec[] {
  const V = v.text;
  if (v.minor < 5) {
    return [
      {
        zipName: `wso2am-${V}.zip`, topDir: `wso2am-${V}`, product: 'WSO2 API Manager',
        scripts: ['api-manager'], defaultConf: 'all-in-one', profiles: true,
        templates: {
          'control-plane': 'control-plane',
          'gateway-worker': 'gateway',
          'traffic-manager': 'traffic-manager',
          'api-key-manager-node': 'key-manager',
        },
        webapps: [...PORTALS, GATEWAY_API], websocketEndpoints: true, realSizeMb: 450,
      },
    ];
  }
  return [
    {
      zipName: `wso2am-${V}.zip`, topDir: `wso2am-${V}`, product: 'WSO2 API Manager',
      scripts: ['api-manager'], defaultConf: 'all-in-one', profiles: false, templates: {},
      webapps: [...PORTALS, GATEWAY_API], websocketEndpoints: true, realSizeMb: 450,
    },
    {
      zipName: `wso2am-acp-${V}.zip`, topDir: `wso2am-acp-${V}`, product: 'WSO2 API Control Plane',
      scripts: ['api-cp', 'key-manager'], defaultConf: 'control-plane', profiles: false,
      templates: { 'key-manager': 'key-manager' }, webapps: PORTALS, websocketEndpoints: true, realSizeMb: 450,
    },
    {
      zipName: `wso2am-universal-gw-${V}.zip`, topDir: `wso2am-universal-gw-${V}`, product: 'WSO2 Universal Gateway',
      scripts: ['gateway'], defaultConf: 'gateway', profiles: false, templates: {},
      webapps: [GATEWAY_API], websocketEndpoints: true, realSizeMb: 280,
    },
    {
      zipName: `wso2am-tm-${V}.zip`, topDir: `wso2am-tm-${V}`, product: 'WSO2 Traffic Manager',
      scripts: ['traffic-manager'], defaultConf: 'traffic-manager', profiles: false, templates: {},
      webapps: [], websocketEndpoints: false, realSizeMb: 200,
    },
  ];
}
