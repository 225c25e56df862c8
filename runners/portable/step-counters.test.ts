/**
 * The step counters' wire form: sum_int64 payloads are Beam varints (LEB128, as `beam:coder:varint:v1`), and a
 * short id stands for one (transform, counter) pair that any harness can describe again.
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { describeShortIds, monitoringPayload, shortId } from './harness/monitoring-short-ids.js';
import { COUNTER_URN, counterInfo, counterOf, decodeVarint, encodeVarint } from './step-counters.js';

describe('varint payloads', () => {
  test('follow LEB128: 7 bits per byte, low group first, high bit set on all but the last byte', () => {
    expect([...encodeVarint(0)]).toEqual([0]);
    expect([...encodeVarint(127)]).toEqual([0x7f]);
    expect([...encodeVarint(300)]).toEqual([0xac, 0x02]);
    expect([...encodeVarint(2 ** 35)]).toEqual([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]);
  });

  test('round-trip every safe non-negative count', () => {
    fc.assert(fc.property(fc.maxSafeNat(), (value) => decodeVarint(encodeVarint(value)) === value));
  });

  test('refuse values a counter cannot hold, and truncated payloads', () => {
    expect(() => encodeVarint(-1)).toThrow(RangeError);
    expect(() => encodeVarint(1.5)).toThrow(RangeError);
    expect(() => decodeVarint(Buffer.from([0x80]))).toThrow('ends in the middle of a varint');
  });
});

describe('monitoring infos', () => {
  const counter = { ptransform: 'ReadLogs/Read/ReadSplit', name: 'produced:ReadLogs/Read.out', value: 20_003 };

  test('a counter survives its MonitoringInfo; metrics of other namespaces or URNs are not counters', () => {
    expect(counterOf(counterInfo(counter))).toEqual(counter);
    const info = counterInfo(counter);
    expect(counterOf({ ...info, labels: { ...info.labels, NAMESPACE: 'user' } })).toBeUndefined();
    expect(counterOf({ ...info, urn: 'beam:metric:element_count:v1' })).toBeUndefined();
  });

  test('short ids: one per transform and name, described back by any harness, foreign ids left out', () => {
    const { monitoring_data, monitoring_infos } = monitoringPayload([counter, { ...counter, name: 'bytesRead', value: 9 }]);
    const ids = Object.keys(monitoring_data);
    expect(new Set(ids).size).toBe(2);
    expect(ids[0]).toBe(shortId(counter));
    expect(monitoring_infos.map((info) => counterOf(info)?.value)).toEqual([20_003, 9]);
    const described = describeShortIds([...ids, 'n42']);
    expect(Object.keys(described)).toEqual(ids);
    expect(described[ids[0]!]).toEqual({
      urn: COUNTER_URN,
      type: 'beam:metrics:sum_int64:v1',
      labels: { PTRANSFORM: counter.ptransform, NAMESPACE: 'logbeam', NAME: counter.name },
    });
  });
});
