import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { brokerUrl, jmsPublishers } from '../../../sim/component/event-publishers.js';
import { readJavaProperties } from '../../../sim/component/java-properties.js';

describe('java.util.Properties as the andes JNDI factory reads it', () => {
  it('separators, comments, escapes, unicode and continuation lines', () => {
    const p = readJavaProperties([
      '# comment', '! also a comment', '  a = 1', 'b:2', 'c 3', 'url = tcp\\://10.0.0.1\\:5672', 'sp\\ ace = x\\ty',
      'u = caf\\u00e9', 'long = one\\', '    two', 'empty =',
    ].join('\n'));
    expect(Object.fromEntries(p)).toEqual({ a: '1', b: '2', c: '3', url: 'tcp://10.0.0.1:5672', 'sp ace': 'x\ty', u: 'café', long: 'onetwo', empty: '' });
  });
});

describe('JMS event publishers of a Carbon home', () => {
  const home = mkdtempSync(join(tmpdir(), 'sim-pub-'));
  const dir = join(home, 'repository', 'deployment', 'server', 'eventpublishers');
  mkdirSync(dir, { recursive: true });
  mkdirSync(join(home, 'repository', 'conf'), { recursive: true });
  const publisher = (name: string, adapter: string, provider: string) => `<?xml version="1.0" encoding="UTF-8"?>
<eventPublisher name="${name}" statistics="disable" trace="disable" xmlns="http://wso2.org/carbon/eventpublisher">
  <from streamName="org.wso2.apimgt.notification.stream" version="1.0.0"/>
  <to eventAdapterType="${adapter}">
    <property name="java.naming.provider.url">${provider}</property>
    <property name="transport.jms.ConnectionFactoryJNDIName">TopicConnectionFactory</property>
  </to>
</eventPublisher>`;
  writeFileSync(join(dir, 'notificationJMSPublisherRegion2.xml'), publisher('notificationJMSPublisherRegion2', 'jms', 'repository/conf/jndi-region2.properties'));
  writeFileSync(join(dir, 'logger.xml'), publisher('logger', 'logger', ''));
  writeFileSync(join(dir, 'missing.xml'), publisher('missing', 'jms', 'repository/conf/jndi-region9.properties'));

  it('lists only JMS publishers, their JNDI file resolved against the Carbon home', () => {
    expect(jmsPublishers(home).map((p) => [p.name, p.jndiFile])).toEqual([
      ['missing', join(home, 'repository/conf/jndi-region9.properties')],
      ['notificationJMSPublisherRegion2', join(home, 'repository/conf/jndi-region2.properties')],
    ]);
  });

  it('reads the Qpid connection URL: login and the failover brokerlist in order; says why when it cannot', () => {
    writeFileSync(join(home, 'repository/conf/jndi-region2.properties'),
      "connectionfactory.TopicConnectionFactory = amqp://admin:s3cret@clientid/carbon?brokerlist='tcp\\://10.0.2.1\\:5672;tcp\\://10.0.2.2\\:5672'&failover='roundrobin'\n");
    const [missing, region2] = jmsPublishers(home);
    expect(brokerUrl(region2!)).toEqual({ username: 'admin', password: 's3cret', brokers: [{ host: '10.0.2.1', port: 5672 }, { host: '10.0.2.2', port: 5672 }] });
    expect(brokerUrl(missing!)).toEqual({ error: `JNDI provider file ${join(home, 'repository/conf/jndi-region9.properties')} not found` });
    writeFileSync(join(home, 'repository/conf/jndi-region2.properties'), 'connectionfactory.QueueConnectionFactory = amqp://a:b@c/carbon?brokerlist=\'tcp://h:1\'\n');
    expect(brokerUrl(region2!)).toEqual({ error: `no connectionfactory.TopicConnectionFactory in ${join(home, 'repository/conf/jndi-region2.properties')}` });
  });
});
