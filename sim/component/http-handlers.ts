/** What each listening port answers. Until the node is ready everything but plain TCP answers 503. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname as osHostname } from 'node:os';
import type { Duplex } from 'node:stream';
import type { Component } from './args.js';
import { ARTIFACTS_PATH, artifactsFor, SAMPLE_API } from './artifacts.js';
import { isPortalPath, portalSessions } from './portal-session.js';
import { DCR_PATH, OAuth2Server, TOKEN_PATH } from './oauth2.js';
import { PUBLISHER_APIS_PATH, publisherApis, readBody, type PublisherNode } from './publisher-api.js';
import { answerEcho } from './sample-api.js';
import { handshakeProblem, refuse, WebSocketSessions, type Upgrades } from './websocket.js';

export interface NodeState {
  ready: boolean;
  draining: boolean;
  readonly product: string;
  readonly version: string;
  /** WSO2 Updates level of the pack (0: as released). */
  readonly updateLevel?: number;
  readonly component: Component;
  readonly nodeName: string;
  /** Control plane / all-in-one: the gateway environments it deploys the sample API to. */
  readonly environments: readonly string[];
  /** Gateway / all-in-one: the APIs deployed here (artifacts.ts). */
  apis: string[];
  /** The sample API's request log (sample-api.ts); unset: none kept. */
  readonly requestLog?: string;
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export function send(res: ServerResponse, state: NodeState, status: number, type: string, body: string): void {
  // While draining, end keep-alive so a proxy in front moves to another node cleanly.
  if (state.draining) res.setHeader('Connection', 'close');
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

const notReady = (res: ServerResponse, state: NodeState): void =>
  send(res, state, 503, 'text/plain', 'Server is starting\n');

export function versionXml(state: NodeState): string {
  return (
    '<ns:getVersionResponse xmlns:ns="http://version.services.core.carbon.wso2.org">' +
    `<return>${state.product}-${state.version}</return></ns:getVersionResponse>`
  );
}

const pathOf = (req: IncomingMessage): string => (req.url ?? '/').split('?')[0] ?? '/';
const servesGateway = (c: Component): boolean => c === 'gateway' || c === 'all-in-one';
/** Control planes (and all-in-one nodes) are the event hub and serve the portals. */
const isControlPlane = (c: Component): boolean => c === 'control-plane' || c === 'all-in-one';

/** 9443 (HTTPS) and 9763 (HTTP): admin services, and the gateway startup health check on 9443. */
export function servletHandler(state: NodeState, secure: boolean, publisher?: PublisherNode): Handler {
  const portal = secure && isControlPlane(state.component) ? portalSessions(state.nodeName) : null;
  const oauth = secure && publisher && isControlPlane(state.component) ? new OAuth2Server(publisher.admin) : null;
  const apis = oauth && publisher ? publisherApis(publisher, oauth) : null;
  return (req, res) => {
    const path = pathOf(req);
    if (oauth && (path === DCR_PATH || path === TOKEN_PATH)) {
      if (!state.ready) return notReady(res, state);
      if (req.method !== 'POST') return send(res, state, 405, 'application/json', '{"error":"invalid_request","error_description":"POST only"}');
      void readBody(req).then((text) => {
        const answer = (path === DCR_PATH ? oauth.register : oauth.token).call(oauth, req.headers.authorization, req.headers['content-type'], text ?? '');
        for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value);
        send(res, state, answer.status, 'application/json', JSON.stringify(answer.body));
      });
      return;
    }
    if (apis && path === PUBLISHER_APIS_PATH) {
      if (!state.ready) return notReady(res, state);
      return apis(req, (status, type, body) => send(res, state, status, type, body), (name, value) => res.setHeader(name, value));
    }
    if (portal && isPortalPath(path)) {
      if (!state.ready) return notReady(res, state);
      return portal(req, (status, type, body) => send(res, state, status, type, body), (c) => res.setHeader('Set-Cookie', c));
    }
    if (secure && path === '/api/am/gateway/v2/server-startup-healthcheck' && servesGateway(state.component)) {
      if (!state.ready) return send(res, state, 503, 'application/json', '{"status":"not ready"}');
      return send(res, state, 200, 'application/json', '{"status":"ready"}');
    }
    if (secure && path === ARTIFACTS_PATH && isControlPlane(state.component)) {
      if (!state.ready) return notReady(res, state);
      const label = new URL(req.url ?? '/', 'https://x').searchParams.get('gatewayLabel') ?? '';
      return send(res, state, 200, 'application/json', JSON.stringify(artifactsFor(state.environments, label)));
    }
    if (path === '/services/Version' || path === '/services/Version/') {
      return state.ready ? send(res, state, 200, 'text/xml', versionXml(state)) : notReady(res, state);
    }
    if (path === '/services' || path.startsWith('/services/')) {
      return state.ready ? send(res, state, 200, 'text/html', '<html><body>Deployed services</body></html>\n') : notReady(res, state);
    }
    return send(res, state, 404, 'text/plain', 'Not Found\n');
  };
}

/** What the sample API answers: which node, so load through a balancer can see who answered. */
const echoBody = (state: NodeState): string =>
  JSON.stringify({ host: osHostname(), node: state.nodeName, version: state.version, updateLevel: state.updateLevel ?? 0, component: state.component });

/** 8280 / 8243: the sample API. */
export function passthroughHandler(state: NodeState): Handler {
  return (req, res) => {
    if (pathOf(req) !== '/echo') return send(res, state, 404, 'application/json', '{"error":"No matching resource found"}');
    if (!state.ready) return notReady(res, state);
    if (!state.apis.includes(SAMPLE_API)) return send(res, state, 404, 'application/json', '{"error":"No matching resource found"}');
    void answerEcho(req, res, state, (status, type, body) => send(res, state, status, type, body));
  };
}

/** 9099 / 8099: the WebSocket inbound endpoints' `GET /health`. */
export function websocketHandler(state: NodeState): Handler {
  return (req, res) => {
    if (pathOf(req) !== '/health') return send(res, state, 404, 'text/plain', 'Not Found\n');
    return state.ready ? send(res, state, 200, 'text/plain', 'OK\n') : notReady(res, state);
  };
}

/**
 * 9099 / 8099: a WebSocket upgrade to the sample API's path, once ready and deployed here, the way /echo is
 * served on 8280; its one message is /echo's body. Anything else is refused without upgrading.
 */
export function websocketUpgrades(state: NodeState): Upgrades {
  const sessions = new WebSocketSessions();
  const handle = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const notFound = (): void => refuse(socket, 404, 'Not Found', 'No matching resource found\n');
    if (pathOf(req) !== '/echo') return notFound();
    if (!state.ready) return refuse(socket, 503, 'Service Unavailable', 'Server is starting\n');
    if (!state.apis.includes(SAMPLE_API)) return notFound();
    const problem = handshakeProblem(req);
    if (problem) return refuse(socket, problem.status, problem.reason, 'Invalid WebSocket handshake\n', problem.headers);
    sessions.accept(req, socket, head, echoBody(state));
  };
  return { handle, closeAll: (deadlineMs) => sessions.closeAll(deadlineMs) };
}
