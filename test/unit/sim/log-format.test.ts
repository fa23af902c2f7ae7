import { describe, expect, it } from 'vitest';
import { carbonTimestamp, formatLogLine } from '../../../sim/component/log.js';
import { versionXml } from '../../../sim/component/http-handlers.js';

describe('Carbon log lines', () => {
  const at = new Date(2026, 10, 26, 23, 10, 0, 123);

  it('uses the [%d] %5p {%c} - %m layout in local time', () => {
    expect(carbonTimestamp(at)).toBe('2026-11-26 23:10:00,123');
    expect(formatLogLine(at, 'INFO', 'org.wso2.X', 'WSO2 Carbon started in 3 sec')).toBe(
      '[2026-11-26 23:10:00,123]  INFO {org.wso2.X} - WSO2 Carbon started in 3 sec\n',
    );
    expect(formatLogLine(at, 'ERROR', 'c', 'm')).toBe('[2026-11-26 23:10:00,123] ERROR {c} - m\n');
    expect(formatLogLine(at, 'WARN', 'c', 'm')).toMatch(/^\[[^\]]+\]  WARN \{c\} - m\n$/);
  });

  it('answers /services/Version with the product and version', () => {
    const xml = versionXml({
      ready: true, draining: false, product: 'WSO2 API Control Plane', version: '4.6.0', component: 'control-plane', nodeName: 'n',
      environments: [], apis: [],
    });
    expect(xml).toContain('<return>WSO2 API Control Plane-4.6.0</return>');
    expect(xml).toMatch(/^<ns:getVersionResponse xmlns:ns="http:\/\/version\.services\.core\.carbon\.wso2\.org">/);
  });
});
