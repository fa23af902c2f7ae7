import { request } from 'node:https';
import { BASE_SECRETS } from './inventory.js';

/** The Publisher REST API of a node at `address` (port 9443), as an operator's client calls it (its own certificate: not verified here). */
export function publisherCall(address: string, method: 'GET' | 'POST', body?: unknown, auth = `admin:${BASE_SECRETS['ADMIN_PASSWORD']}`): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = request({
      host: address, port: 9443, path: '/api/am/publisher/v4/apis', method, rejectUnauthorized: false, timeout: 30_000,
      headers: { Authorization: `Basic ${Buffer.from(auth).toString('base64')}`, ...(data ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } : {}) },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

/** The ids of the API records a publisher lists. */
export const listedIds = (answer: { body: string }): string[] => (JSON.parse(answer.body) as { list: { id: string }[] }).list.map((a) => a.id);
