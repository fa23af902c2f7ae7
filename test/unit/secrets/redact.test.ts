import { describe, expect, it } from 'vitest';
import { redact, Secret } from '../../../src/model/secret.js';

describe('redact', () => {
  it('masks every occurrence of every secret value', () => {
    const secrets = [new Secret('s3cr3t', 'A in x.env'), new Secret('hunter2', 'B in x.env')];
    expect(redact('psql password=s3cr3t; again s3cr3t, and hunter2', secrets)).toBe('psql password=***; again ***, and ***');
  });

  it('leaves the public WSO2 default alone: it names the service user and the PID file too', () => {
    const secrets = [new Secret('wso2carbon', 'KEYSTORE_PASSWORD in lab.env'), new Secret('real-one', 'DB in lab.env')];
    expect(redact('runuser -u wso2carbon -- x; cat wso2carbon.pid; pw=real-one', secrets)).toBe(
      'runuser -u wso2carbon -- x; cat wso2carbon.pid; pw=***',
    );
  });

  it('prints as *** however it is turned into text', () => {
    const s = new Secret('wso2carbon', 'default');
    expect(`${s}`).toBe('***');
    expect(JSON.stringify({ s })).toBe('{"s":"***"}');
  });
});
