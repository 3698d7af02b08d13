import { describe, expect, it } from 'vitest';
import { attemptsNewestFirst, deliveryCounts, deliveryEndpoints, httpTone, latency, objectHref } from './deliveries';

describe('httpTone', () => {
  const cases: [number | null | undefined, string][] = [
    [200, 'good'],
    [204, 'good'],
    [299, 'good'],
    [301, 'warn'],
    [400, 'bad'],
    [410, 'bad'],
    [503, 'bad'],
    [0, 'none'],
    [null, 'none'],
    [undefined, 'none'],
  ];
  for (const [code, tone] of cases) it(`${code} is ${tone}`, () => expect(httpTone(code)).toBe(tone));
});

describe('deliveryCounts', () => {
  it('counts each status and ignores unknown ones', () => {
    const got = deliveryCounts([{ status: 'succeeded' }, { status: 'failed' }, { status: 'succeeded' }, { status: 'weird' as 'failed' }]);
    expect(got).toEqual({ pending: 0, succeeded: 2, failed: 1 });
  });
  it('reads a missing list as none', () => {
    expect(deliveryCounts(undefined)).toEqual({ pending: 0, succeeded: 0, failed: 0 });
  });
});

describe('attemptsNewestFirst', () => {
  it('orders by time, newest first, then by attempt number', () => {
    const log = [
      { attempt: 1, created_at: '2025-01-01T10:00:00Z' },
      { attempt: 3, created_at: '2025-01-01T10:05:00Z' },
      { attempt: 2, created_at: '2025-01-01T10:05:00Z' },
    ];
    expect(attemptsNewestFirst(log).map((a) => a.attempt)).toEqual([3, 2, 1]);
    // The input is left as it was.
    expect(log.map((a) => a.attempt)).toEqual([1, 3, 2]);
  });
  it('reads a missing log as empty', () => {
    expect(attemptsNewestFirst(null)).toEqual([]);
  });
});

describe('deliveryEndpoints', () => {
  it('lists each endpoint once, in order', () => {
    const got = deliveryEndpoints([
      { endpoint_id: 'we_1', url: 'https://a.example/h' },
      { endpoint_id: 'we_2', url: 'https://b.example/h' },
      { endpoint_id: 'we_1', url: 'https://a.example/h' },
      { endpoint_id: '', url: 'https://gone.example/h' },
    ]);
    expect(got).toEqual([
      { id: 'we_1', url: 'https://a.example/h' },
      { id: 'we_2', url: 'https://b.example/h' },
    ]);
  });
});

describe('objectHref', () => {
  const cases: [string | undefined, string | null][] = [
    ['inv_01J', '/portal/invoices/inv_01J'],
    ['pay_01J', null],
    ['', null],
    [undefined, null],
  ];
  for (const [id, want] of cases) it(String(id), () => expect(objectHref(id)).toBe(want));
});

describe('latency', () => {
  const cases: [number | undefined, '.' | ',', string][] = [
    [84, '.', '84 ms'],
    [999.6, '.', '1000 ms'],
    [1234, '.', '1.2 s'],
    [10000, ',', '10,0 s'],
    [undefined, '.', ''],
    [-1, '.', ''],
  ];
  for (const [ms, sep, want] of cases) it(`${ms} → ${want}`, () => expect(latency(ms, sep)).toBe(want));
});
