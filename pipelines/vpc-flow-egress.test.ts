import { afterAll, describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { BlockList, isIPv6 } from 'node:net';
import { join, resolve } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { Pipeline } from '../core/pipeline.js';
import { phaseGraphOf, planBatchEdges } from '../execution/batch-edges.js';
import { planExecution } from '../execution/stage-plan.js';
import { generateVpcFlowLines } from '../io/formats/vpc-flow/generate.js';
import { emptyVpcFlowRecord, type VpcFlowRecord } from '../io/formats/vpc-flow/schema.js';
import { collect, runPipeline } from '../test/testing.js';
import { create } from '../transforms/create.js';
import { readParquetRows, removeTempDirs, tempDir, writeLines } from './analytics/testing/parquet-rows.js';
import { vpcFlowEgress, vpcFlowEgressPipeline } from './vpc-flow-egress.js';

const PROCESSED = '2024-07-01T00:00:00Z';

/** Internal space per node's own BlockList: an implementation independent of CidrSet. */
function internalBlockList(extra: Array<[string, number, 'ipv4' | 'ipv6']> = []): BlockList {
  const list = new BlockList();
  for (const [net, prefix, type] of [
    ['10.0.0.0', 8, 'ipv4'],
    ['172.16.0.0', 12, 'ipv4'],
    ['192.168.0.0', 16, 'ipv4'],
    ['100.64.0.0', 10, 'ipv4'],
    ['169.254.0.0', 16, 'ipv4'],
    ['127.0.0.0', 8, 'ipv4'],
    ['::1', 128, 'ipv6'],
    ['fc00::', 7, 'ipv6'],
    ['fe80::', 10, 'ipv6'],
    ...extra,
  ] as Array<[string, number, 'ipv4' | 'ipv6']>)
    list.addSubnet(net, prefix, type);
  return list;
}

function flow(overrides: Partial<VpcFlowRecord>): VpcFlowRecord {
  return {
    ...emptyVpcFlowRecord(),
    srcaddr: '10.0.1.5',
    dstaddr: '8.8.8.8',
    dstport: 443,
    protocol: 6,
    packets: 2,
    bytes: 100,
    start: 1_717_200_000,
    action: 'ACCEPT',
    log_status: 'OK',
    ...overrides,
  };
}

afterAll(removeTempDirs);

describe('vpcFlowEgress', () => {
  it('sums accepted flows to public destinations per hour and flow key', async () => {
    const records = [
      flow({}),
      flow({ bytes: 50, packets: 1, start: 1_717_200_000 + 3599 }),
      flow({ start: 1_717_200_000 + 3600 }),
      flow({ dstaddr: '2600:1f18::1', protocol: 17, dstport: 53, region: 'eu-west-1' }),
      flow({ action: 'REJECT' }),
      flow({ bytes: 0 }),
      flow({ bytes: null, log_status: 'NODATA' }),
      flow({ dstaddr: '10.1.2.3' }),
      flow({ dstaddr: '100.64.1.1' }),
      flow({ dstaddr: 'fd00::5' }),
      flow({ dstaddr: 'fe80::1' }),
      flow({ dstaddr: '203.0.113.7' }),
    ];
    const p = Pipeline.create();
    const out = collect(
      p
        .apply(create(records, { splits: 4 }))
        .apply(vpcFlowEgress({ vpcCidrs: ['203.0.113.0/24'], region: 'us-east-1', processingTime: PROCESSED })),
    );
    await runPipeline(p);
    const base = {
      flow_date: '2024-06-01',
      srcaddr: '10.0.1.5',
      dstport: 443,
      protocol: 6,
      vpc_id: null,
      instance_id: null,
      interface_id: null,
      region: 'us-east-1',
      processing_timestamp: PROCESSED,
    };
    expect(out.values()).toEqualInAnyOrder([
      {
        ...base,
        flow_hour: 0,
        flow_hour_start: '2024-06-01T00:00:00Z',
        dstaddr: '8.8.8.8',
        total_egress_bytes: 150,
        total_egress_packets: 3,
        flow_count: 2,
      },
      {
        ...base,
        flow_hour: 1,
        flow_hour_start: '2024-06-01T01:00:00Z',
        dstaddr: '8.8.8.8',
        total_egress_bytes: 100,
        total_egress_packets: 2,
        flow_count: 1,
      },
      {
        ...base,
        flow_hour: 0,
        flow_hour_start: '2024-06-01T00:00:00Z',
        dstaddr: '2600:1f18::1',
        dstport: 53,
        protocol: 17,
        region: 'eu-west-1',
        total_egress_bytes: 100,
        total_egress_packets: 2,
        flow_count: 1,
      },
    ]);
  });

  it('counts only RFC 1918 as private with privateRanges rfc1918 (CGNAT, link-local, loopback and IPv6 ULA become egress)', async () => {
    const destinations = [
      '10.1.2.3',
      '172.16.0.9',
      '192.168.1.1',
      '100.64.1.1',
      '169.254.169.254',
      '127.0.0.1',
      'fd00::5',
      'fe80::1',
      '::1',
      '8.8.8.8',
    ];
    const egressTo = async (privateRanges?: 'rfc1918' | 'wide'): Promise<string[]> => {
      const p = Pipeline.create();
      const out = collect(
        p
          .apply(create(destinations.map((dstaddr) => flow({ dstaddr }))))
          .apply(vpcFlowEgress({ processingTime: PROCESSED, ...(privateRanges === undefined ? {} : { privateRanges }) })),
      );
      await runPipeline(p);
      return out.values().map((row) => row.dstaddr);
    };
    expect(await egressTo('rfc1918')).toEqualInAnyOrder([
      '100.64.1.1',
      '169.254.169.254',
      '127.0.0.1',
      'fd00::5',
      'fe80::1',
      '::1',
      '8.8.8.8',
    ]);
    expect(await egressTo()).toEqual(['8.8.8.8']);
    expect(await egressTo('wide')).toEqual(['8.8.8.8']);
    expect(() => vpcFlowEgress({ privateRanges: 'rfc-1918' as 'rfc1918' })).toThrow(/privateRanges "rfc-1918".*rfc1918.*wide/);
  });

  it('keeps flows apart that differ only in null versus empty or in control characters, and returns their values intact', async () => {
    const awkward = ['', null, 'vpc\u0001a', 'vpc\u0002n', '\u0002n'];
    const records = awkward.flatMap((vpcId) => [
      flow({ vpc_id: vpcId, interface_id: vpcId === null ? '' : null }),
      flow({ vpc_id: vpcId, interface_id: vpcId === null ? '' : null, bytes: 1 }),
    ]);
    records.push(flow({ vpc_id: 'no-port', dstport: null }));
    const p = Pipeline.create();
    const out = collect(p.apply(create(records, { splits: 3 })).apply(vpcFlowEgress({ processingTime: PROCESSED })));
    await runPipeline(p);
    const rows = out.values().map((row) => ({
      vpc_id: row.vpc_id,
      interface_id: row.interface_id,
      total_egress_bytes: row.total_egress_bytes,
      flow_count: row.flow_count,
      dstport: row.dstport,
      flow_hour_start: row.flow_hour_start,
    }));
    expect(rows).toEqualInAnyOrder([
      ...awkward.map((vpcId) => ({
        vpc_id: vpcId,
        interface_id: vpcId === null ? '' : null,
        total_egress_bytes: 101,
        flow_count: 2,
        dstport: 443,
        flow_hour_start: '2024-06-01T00:00:00Z',
      })),
      {
        vpc_id: 'no-port',
        interface_id: null,
        total_egress_bytes: 100,
        flow_count: 1,
        dstport: null,
        flow_hour_start: '2024-06-01T00:00:00Z',
      },
    ]);
  });

  it('rejects a malformed VPC CIDR when the pipeline is built', () => {
    expect(() => vpcFlowEgress({ vpcCidrs: ['10.0.0.0/40'] })).toThrow(/10.0.0.0\/40/);
  });
});

/** Expected rows computed from the raw lines with split(' ') and node's BlockList. */
function expectedFromLines(
  texts: string[],
  internal: BlockList,
  defaultRegion: string | null,
): Map<string, { bytes: number; packets: number; flows: number }> {
  const totals = new Map<string, { bytes: number; packets: number; flows: number }>();
  for (const text of texts) {
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    const header = lines[0]!.split(' ');
    for (const raw of lines.slice(1)) {
      const values = raw.split(' ');
      const get = (name: string) => {
        const index = header.indexOf(name);
        return index < 0 || values[index] === '-' ? null : values[index]!;
      };
      const dst = get('dstaddr');
      const bytes = Number(get('bytes') ?? 0);
      if (get('action') !== 'ACCEPT' || !(bytes > 0) || dst === null) continue;
      if (internal.check(dst, isIPv6(dst) ? 'ipv6' : 'ipv4')) continue;
      const hourStart = new Date(Math.floor(Number(get('start')) / 3600) * 3_600_000).toISOString().replace('.000Z', 'Z');
      const port = get('dstport');
      const key = [
        hourStart,
        get('srcaddr'),
        dst,
        port === null ? null : Number(port),
        Number(get('protocol')),
        get('vpc-id'),
        get('instance-id'),
        get('interface-id'),
        get('region') ?? defaultRegion,
      ].join('|');
      const entry = totals.get(key) ?? { bytes: 0, packets: 0, flows: 0 };
      entry.bytes += bytes;
      entry.packets += Number(get('packets') ?? 0);
      entry.flows += 1;
      totals.set(key, entry);
    }
  }
  return totals;
}

function actualByKey(rows: Record<string, unknown>[]): Map<string, { bytes: number; packets: number; flows: number }> {
  return new Map(
    rows.map((r) => [
      [
        r['flow_hour_start'],
        r['srcaddr'],
        r['dstaddr'],
        r['dstport'],
        r['protocol'],
        r['vpc_id'],
        r['instance_id'],
        r['interface_id'],
        r['region'],
      ].join('|'),
      { bytes: r['total_egress_bytes'] as number, packets: r['total_egress_packets'] as number, flows: r['flow_count'] as number },
    ]),
  );
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name)) : [join(dir, name)]));
}

describe('vpcFlowEgressPipeline', () => {
  const format =
    'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status vpc-id instance-id region';

  it.each([1, 2])('matches an independent aggregation of generated flows, partitioned by hour, with %i worker(s)', async (workers) => {
    const dir = tempDir();
    const text = [...generateVpcFlowLines({ records: 3000, seed: 11, spanHours: 6, format })].join('\n');
    writeLines(dir, 'in/flows.log', [text]);
    const output = join(dir, 'out');
    await runPipeline(
      vpcFlowEgressPipeline.create({ input: join(dir, 'in'), output, vpcCidrs: ['52.0.0.0/8'], processingTime: PROCESSED }).pipeline,
      { workers },
    );
    const rows = await readParquetRows(output, "*, strftime(flow_hour_start, '%Y-%m-%dT%H:%M:%SZ') AS flow_hour_start");
    const expected = expectedFromLines([text], internalBlockList([['52.0.0.0', 8, 'ipv4']]), null);
    expect(expected.size).toBeGreaterThan(100);
    expect(actualByKey(rows)).toEqual(expected);
    for (const row of rows) {
      expect(`${row['year']}-${row['month']}-${row['day']}T${row['hour']}`).toBe((row['flow_hour_start'] as string).slice(0, 13));
    }
  });

  /** Generated flows, each sent to a public address of its own: (almost) every accepted flow is egress, no key repeats. */
  function distinctEgressFlows(records: number): string[] {
    const [header, ...rows] = [...generateVpcFlowLines({ records, seed: 23, spanHours: 2, format })];
    const dst = header!.split(' ').indexOf('dstaddr');
    const distinct = rows.map((row, i) => {
      const values = row.split(' ');
      if (values[dst] !== '-') values[dst] = `34.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
      return values.join(' ');
    });
    return [header!, ...distinct];
  }

  it.each([
    // Past the map-side sample (16,384 inputs for the peer per worker), the rest goes to the peer as byte keys.
    ['no key repeats: map-side combining skipped, keys sent to the peer as bytes; spilling forced', 80_000, 4 * 1024 * 1024],
    ['every flow twice: map-side combining kept; spilling forced', 2_000, 1],
  ])(
    'matches the independent aggregation at two workers, %s',
    async (name, records, memoryBudgetBytes) => {
      const dir = tempDir();
      const [header, ...rows] = distinctEgressFlows(records);
      const all = name.startsWith('every flow twice') ? [...rows, ...rows] : rows;
      // Four files, so that both workers read (a file is one split).
      const texts = [0, 1, 2, 3].map((part) => [header!, ...all.filter((_row, i) => i % 4 === part)].join('\n'));
      for (const [part, text] of texts.entries()) writeLines(dir, `in/flows-${part}.log`, [text]);
      const output = join(dir, 'out');
      const result = await runPipeline(
        vpcFlowEgressPipeline.create({ input: join(dir, 'in'), output, vpcCidrs: ['52.0.0.0/8'], processingTime: PROCESSED }).pipeline,
        { workers: 2, ...(memoryBudgetBytes === undefined ? {} : { memoryBudgetBytes }) },
      );
      expect(result.workers).toBe(2);
      if (memoryBudgetBytes !== undefined) expect(result.spilledBytes).toBeGreaterThan(0);
      const outputRows = await readParquetRows(output, "*, strftime(flow_hour_start, '%Y-%m-%dT%H:%M:%SZ') AS flow_hour_start");
      const expected = expectedFromLines(texts, internalBlockList([['52.0.0.0', 8, 'ipv4']]), null);
      expect(expected.size).toBeGreaterThan(records / 2);
      expect(actualByKey(outputRows)).toEqual(expected);
    },
    120_000,
  );

  it('runs its groups as column batches from the combine through ToRow into the partitioned Parquet sink (direct runner)', () => {
    const { pipeline } = vpcFlowEgressPipeline.create({ input: 'in', output: 'out', processingTime: PROCESSED });
    const edges = planBatchEdges(phaseGraphOf(planExecution(pipeline), 1));
    expect([...edges.groups.keys()].map((node) => node.label)).toEqual(['VpcFlowEgress/SumPerHourAndFlowKey']);
    expect([...edges.mappers.keys()].map((node) => node.label)).toEqual(['VpcFlowEgress/ToRow']);
    expect(edges.writes.size).toBe(1);
  });

  it('gives identical output with one and two workers', async () => {
    const dir = tempDir();
    // Two files, so that two workers read (a file is one split).
    writeLines(dir, 'in/flows-a.log', generateVpcFlowLines({ records: 1500, seed: 5, spanHours: 3 }));
    writeLines(dir, 'in/flows-b.log', generateVpcFlowLines({ records: 1500, seed: 6, spanHours: 3 }));
    const results = [];
    for (const workers of [1, 2]) {
      const output = join(dir, `out-${workers}`);
      await runPipeline(vpcFlowEgressPipeline.create({ input: join(dir, 'in'), output, processingTime: PROCESSED }).pipeline, { workers });
      results.push(await readParquetRows(output));
    }
    expect(results[0]!.length).toBeGreaterThan(0);
    expect(results[1]).toEqualInAnyOrder(results[0]!);
  });

  it('sums a flow whose line is not UTF-8 (decoded as a record, then added to the batch) with the same flow decoded from bytes', async () => {
    const dir = tempDir();
    const line = (account: string, bytes: number) =>
      `2 ${account} eni-1 10.0.1.5 8.8.8.8 49152 443 6 2 ${bytes} 1717200000 1717200060 ACCEPT OK`;
    // The account id is not part of the key; its invalid byte sends that line through the text parser.
    const text = Buffer.concat([
      Buffer.from(`${line('123456789012', 100)}\n`),
      Buffer.from(`${line('12345678901\u00ff', 40)}\n`, 'latin1'),
    ]);
    mkdirSync(join(dir, 'in'), { recursive: true });
    writeFileSync(join(dir, 'in', 'flows.log'), text);
    const output = join(dir, 'out');
    const result = await runPipeline(vpcFlowEgressPipeline.create({ input: join(dir, 'in'), output, processingTime: PROCESSED }).pipeline);
    const rows = await readParquetRows(output, 'dstaddr, total_egress_bytes, flow_count');
    expect(rows).toEqual([{ dstaddr: '8.8.8.8', total_egress_bytes: 140, flow_count: 2 }]);
    expect(result.steps.find((step) => step.label === 'VpcFlowEgress/KeepEgressFlows')).toMatchObject({
      elementsIn: 2,
      elementsOut: { main: 2 },
    });
  });

  it('processes the VPC flow samples in the repository', async () => {
    const input = resolve('samples/vpc_flow');
    const output = join(tempDir(), 'out');
    await runPipeline(vpcFlowEgressPipeline.create({ input, output, processingTime: PROCESSED }).pipeline);
    const texts = filesUnder(input).map((file) => gunzipSync(readFileSync(file)).toString('utf8'));
    const expected = expectedFromLines(texts, internalBlockList(), null);
    expect(expected.size).toBeGreaterThan(0);
    expect(actualByKey(await readParquetRows(output, "*, strftime(flow_hour_start, '%Y-%m-%dT%H:%M:%SZ') AS flow_hour_start"))).toEqual(
      expected,
    );
  });
});
