/**
 * The portal web apps' session as a browser sees it (reference §9: the Publisher and Developer Portal need sticky
 * sessions, their login lives in the node's servlet session). Not a rule the simulator enforces: `GET /devportal`
 * or `/publisher` on a control plane or all-in-one answers which node served it and whether the `JSESSIONID` cookie
 * named a session this node knows (`resumed`), else it starts one with `Set-Cookie`, as Tomcat does. Sessions live
 * in the process, so a restart or another node loses them: a sticky balancer keeps users on their node.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Reply } from './sample-api.js';

const PORTALS = ['/devportal', '/publisher'];

export const isPortalPath = (path: string): boolean => PORTALS.some((p) => path === p || path.startsWith(`${p}/`));

export function sessionCookie(cookieHeader: string | undefined): string | null {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [name, value] = part.trim().split('=');
    if (name === 'JSESSIONID' && value) return value;
  }
  return null;
}

/** One node's portal sessions. */
export function portalSessions(nodeName: string): (req: IncomingMessage, reply: Reply, setCookie: (v: string) => void) => void {
  const sessions = new Set<string>();
  return (req, reply, setCookie) => {
    const asked = sessionCookie(req.headers.cookie);
    const resumed = asked !== null && sessions.has(asked);
    const session = resumed ? asked : randomBytes(12).toString('hex').toUpperCase();
    if (!resumed) {
      sessions.add(session);
      setCookie(`JSESSIONID=${session}; Path=/; Secure; HttpOnly`);
    }
    reply(200, 'application/json', JSON.stringify({ node: nodeName, session, resumed }));
  };
}
