import { describe, expect, it } from 'vitest';
import { cpuByCommand } from '../../../bench/process-accounting.js';

// dump-acct's records as Debian 12's acct 6.6.4 prints them: comm, version, utime, stime, etime (ticks of 10 ms), ...
const DUMP = [
  'unzip           |v3|   231.00|    25.00|   410.00|     0|     0|  9192.00|     0.00|   21301|   21290|     |       0|__      |Sat Dec  5 19:14:01 2026',
  'sudo            |v3|     1.00|     1.00|     4.00|  1000|  1000|  1616.00|     0.00|   21302|   21290|S    |       0|__      |Sat Dec  5 19:14:01 2026',
  'unzip           |v3|   100.00|    10.00|   150.00|     0|     0|  9192.00|     0.00|   21303|   21290|     |       0|__      |Sat Dec  5 19:14:02 2026',
  'sudo            |v3|     2.00|     0.00|     3.00|  1000|  1000|  1616.00|     0.00|   21304|   21290|S    |       0|__      |Sat Dec  5 19:14:02 2026',
  'Reference Handl |v3|    40.00|     2.00|    90.00|   998|   998| 13318.00|     0.00|   21305|   21290|     |       0|__      |Sat Dec  5 19:14:02 2026',
  '',
].join('\n');

describe('process accounting', () => {
  it('sums user and system ticks per command name, the costliest first', () => {
    expect(cpuByCommand(DUMP)).toEqual([
      { name: 'unzip', calls: 2, cpuSeconds: expect.closeTo(3.66, 6) },
      { name: 'Reference Handl', calls: 1, cpuSeconds: expect.closeTo(0.42, 6) },
      { name: 'sudo', calls: 2, cpuSeconds: expect.closeTo(0.04, 6) },
    ]);
  });

  it('reads nothing from lines that are not records', () => {
    expect(cpuByCommand('dump-acct: no such file\n\n')).toEqual([]);
  });
});
