import type { NodeTls } from './own-tls.js';
import type { HostName, NodeRef, PatternId, RoleName } from '../model/inventory.js';
import type { MaybeSecret } from '../model/secret.js';
import type { ShippedTables } from '../model/role.js';
import type { NodeVars } from '../model/vars.js';
import type { RolePaths } from './layout.js';

/**
 * Everything one node's templates need, every cross-node reference already resolved. Optional parts are
 * `null` (not missing) so the strict renderer can tell "absent by design" from "typo in a template".
 */
export interface NodeContext {
  readonly node: NodeRef;
  readonly host: HostName;
  readonly role: RoleName;
  readonly datacenter: string | null;
  readonly inventoryName: string;
  readonly pattern: PatternId;
  readonly apimVersion: string;
  readonly address: string;
  /** WSO2 port offset of this node (0 for service roles). */
  readonly offset: number;
  /** This node's ports by name (role.yaml `ports`), with its offset applied. */
  readonly ports: Readonly<Record<string, number>>;
  readonly vars: NodeVars;
  readonly paths: RolePaths;
  readonly stateDir: string;
  readonly publicHost: { readonly controlPlane: string; readonly gateway: string };
  readonly wso2: Wso2Context | null;
  readonly loadBalancer: LoadBalancerContext | null;
  readonly databaseServer: DatabaseServerContext | null;
  /** Which side of a migration the clients of this node's datacenter are on (`migrate`'s switch); blue otherwise. */
  readonly clients: 'blue' | 'green';
  /** The inventory names green partners (`green:`): a migration is being prepared or runs. */
  readonly migration: boolean;
  /** The internal CA, the balancer's certificate, the node's own keystores (inventory `pki`); null: none of them. */
  readonly tls: NodeTls | null;
}

export interface Wso2Context {
  readonly server: { readonly hostname: string; readonly nodeIp: string; readonly serverRole: string };
  /** Set on nodes clients reach through a load balancer on 443: `[transport.https.properties] proxyPort`. */
  readonly httpsProxyPort: number | null;
  readonly devportalUrl: string | null;
  /** The databases its role names at this version (role.yaml `databases`); null: none. */
  readonly database: { readonly apim: JdbcRef | null; readonly shared: JdbcRef | null } | null;
  readonly eventHub: EventHubRefs | null;
  readonly throttling: ThrottlingRefs | null;
  readonly keyManager: { readonly serviceUrl: string } | null;
  /** Token revocation listener, on the node that runs the resident key manager (CP/all-in-one or KM). */
  readonly tokenRevocation: { readonly notificationEndpoint: string } | null;
  readonly gatewayEnvironments: readonly GatewayEnvironment[];
  readonly gatewayLabels: readonly string[];
  readonly gatewayId: string | null;
  readonly cacheInvalidation: boolean;
  /** `[apim.gateway_notification]` exists from 4.6. */
  readonly gatewayNotification: boolean;
  /** Tables of the version's shipped deployment.toml kept as they ship (role.yaml `shipped`). */
  readonly shipped: Pick<ShippedTables, 'tables' | 'arrays'>;
  /** Active-active control planes: the other regions they publish every event to over JMS; null: none. */
  readonly crossRegion: CrossRegionEvents | null;
}

/** docs-apim multi-DC pattern 1: eventpublishers/*Region<N>.xml and repository/conf/jndi-region<N>.properties. */
export interface CrossRegionEvents {
  /** The admin login of the peers' event hubs (the Qpid connection URL's user info). */
  readonly username: string;
  readonly password: MaybeSecret;
  readonly peers: readonly CrossRegionPeer[];
}

export interface CrossRegionPeer {
  /** `Region<N>`, N the datacenter's place in the inventory (1 = first), as in the docs' file names. */
  readonly region: string;
  readonly datacenter: string;
  /** Every control plane's event hub in that datacenter, `tcp://host:port` (the brokerlist, failover in order). */
  readonly brokers: readonly string[];
}

export interface JdbcRef {
  /** As deployment.toml names it (infer.json's values: postgre, mysql, h2). */
  readonly type: string;
  readonly url: string;
  readonly username: string;
  readonly password: MaybeSecret;
  /** null: left to infer.json (h2, as the packs ship it). */
  readonly driver: string | null;
}

export interface EventHubRefs {
  readonly serviceUrl: string;
  readonly listeningEndpoints: readonly string[];
  /** HA control planes / all-in-one: the peers that get duplicated token-revocation events. */
  readonly duplicateUrls: readonly string[];
  /** The event hub publishers (every CP of the datacenter), only on the event hub itself. */
  readonly publishGroups: readonly UrlGroup[];
}

export interface ThrottlingRefs {
  readonly decisionEndpoints: readonly string[];
  readonly urlGroups: readonly UrlGroup[];
  /** HA traffic managers (or all-in-one peers): the peers throttle decisions are replicated to. */
  readonly duplicateUrls: readonly string[];
}

export interface UrlGroup {
  readonly urls: readonly string[];
  readonly authUrls: readonly string[];
}

export interface GatewayEnvironment {
  readonly name: string;
  readonly description: string;
  readonly serviceUrl: string;
  readonly httpEndpoint: string;
  readonly httpsEndpoint: string;
  readonly wsEndpoint: string;
  readonly wssEndpoint: string;
  /** An all-in-one's own environment: its WebSub event receivers on this host (as its pack ships them). */
  readonly websub: { readonly http: string; readonly https: string } | null;
}

export interface UpstreamServer {
  readonly node: NodeRef;
  readonly address: string;
  readonly port: number;
  /** `address:port`, an IPv6 address in brackets: what nginx's `server` takes. */
  readonly endpoint: string;
  /** Every named port of the node (role.yaml `ports` plus its offset): where a balancer health-checks it. */
  readonly ports: Readonly<Record<string, number>>;
  readonly down: boolean;
  readonly backup: boolean;
}

export interface Upstream {
  readonly name: string;
  /** Port the load balancer listens on for it. */
  readonly listen: number;
  readonly tls: boolean;
  readonly sticky: boolean;
  readonly serverName: string;
  /** WebSocket: the client's Upgrade is passed on and connections may stay open for long. */
  readonly websocket: boolean;
  readonly servers: readonly UpstreamServer[];
  /**
   * During a migration, on a balancer that switches by a flag file (nginx: roles/load-balancer/role.yaml
   * `switchFlag`): both sides' servers, each its own group, chosen per request; `servers` is then the side the
   * inventory's traffic says clients are on. Null otherwise.
   */
  readonly sides: { readonly blue: readonly UpstreamServer[]; readonly green: readonly UpstreamServer[] } | null;
}

export interface LoadBalancerContext {
  /**
   * migrate's green-only path: the `green:` partners of the gateway hosts on a listener of their own; null when the
   * inventory names no partners. Not among the client upstreams (balancerUpstreams): drains never touch it.
   */
  readonly greenGatewayHttp: Upstream | null;
  readonly portals: Upstream | null;
  readonly gatewayHttps: Upstream | null;
  readonly gatewayHttp: Upstream | null;
  readonly gatewayManagement: Upstream | null;
  readonly keyManager: Upstream | null;
  /** The gateways' WebSocket inbound endpoints: ws (plain) and wss (TLS on both sides). */
  readonly gatewayWs: Upstream | null;
  readonly gatewayWss: Upstream | null;
  readonly tls: { readonly certificate: string; readonly key: string };
  /** The file whose presence sends clients to green (role.yaml `switchFlag`) while the inventory names `green:`; else null. */
  readonly switchFlag: string | null;
  /** The balancer's own address is IPv6: listen on [::] as well (nginx's `listen PORT` is IPv4 only). */
  readonly listenIpv6: boolean;
}

export interface DatabaseServerContext {
  readonly type: 'postgresql' | 'mysql';
  readonly port: number;
  readonly apimDb: string;
  readonly sharedDb: string;
  readonly user: string;
  readonly password: MaybeSecret;
  /** The WSO2 hosts that use this database, as pg_hba.conf addresses (IPv4 /32, IPv6 /128, or a host name). */
  readonly clients: readonly string[];
  /**
   * One pg_hba.conf line each: a client address and the databases it opens (its own names: green's during a
   * migration differ from blue's, and blue's retained clients keep theirs).
   */
  readonly grants: readonly { readonly client: string; readonly databases: string }[];
}
