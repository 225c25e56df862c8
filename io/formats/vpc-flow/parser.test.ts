import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { Rejection, SKIP } from '../types.js';
import { readExpectedJsonl, runParser } from '../common/fixture-harness.js';
import { damagedLine, expectDamageReported, type DamagedLine } from '../common/testing/field-damage.js';
import { schemaViolations } from '../common/testing/schema-check.js';
import { VPC_FIELDS, generateVpcFlowLines, vpcFlowFormat, type VpcFlowRecord } from './index.js';
import { emptyVpcFlowRecord } from './schema.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** The full record: every column not given is null. */
function full(values: Partial<Record<string, unknown>>): VpcFlowRecord {
  return { ...emptyVpcFlowRecord(), ...values } as VpcFlowRecord;
}

function parseLines(lines: readonly string[], vpcFormat?: string): unknown[] {
  const parser = vpcFlowFormat.createParser(vpcFormat === undefined ? {} : { vpcFormat });
  return lines.map((line, i) => parser.parse(line, i + 1));
}

const V2_HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';

describe('vpcFlowFormat', () => {
  // https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-records-examples.html
  test('parses the AWS default-format examples, including NODATA and SKIPDATA rows as records with nulls', () => {
    const results = parseLines([
      '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK',
      '2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK',
      '2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA',
      '2 123456789010 eni-11111111aaaaaaaaa - - - - - - - 1431280876 1431280934 - SKIPDATA',
      '2 123456789010 eni-1235b8ca123456789 203.0.113.12 172.31.16.139 0 0 1 4 336 1432917027 1432917142 ACCEPT OK',
      '2 123456789010 eni-1235b8ca123456789 2001:db8:1234:a100:8d6e:3477:df66:f105 2001:db8:1234:a102:3304:8879:34cf:4071 34892 22 6 54 8855 1477913708 1477913820 ACCEPT OK',
    ]);
    expect(results).toEqual([
      full({
        version: 2,
        account_id: '123456789010',
        interface_id: 'eni-1235b8ca123456789',
        srcaddr: '172.31.16.139',
        dstaddr: '172.31.16.21',
        srcport: 20641,
        dstport: 22,
        protocol: 6,
        packets: 20,
        bytes: 4249,
        start: 1418530010,
        end: 1418530070,
        action: 'ACCEPT',
        log_status: 'OK',
      }),
      full({
        version: 2,
        account_id: '123456789010',
        interface_id: 'eni-1235b8ca123456789',
        srcaddr: '172.31.9.69',
        dstaddr: '172.31.9.12',
        srcport: 49761,
        dstport: 3389,
        protocol: 6,
        packets: 20,
        bytes: 4249,
        start: 1418530010,
        end: 1418530070,
        action: 'REJECT',
        log_status: 'OK',
      }),
      full({
        version: 2,
        account_id: '123456789010',
        interface_id: 'eni-1235b8ca123456789',
        start: 1431280876,
        end: 1431280934,
        log_status: 'NODATA',
      }),
      full({
        version: 2,
        account_id: '123456789010',
        interface_id: 'eni-11111111aaaaaaaaa',
        start: 1431280876,
        end: 1431280934,
        log_status: 'SKIPDATA',
      }),
      full({
        version: 2,
        account_id: '123456789010',
        interface_id: 'eni-1235b8ca123456789',
        srcaddr: '203.0.113.12',
        dstaddr: '172.31.16.139',
        srcport: 0,
        dstport: 0,
        protocol: 1,
        packets: 4,
        bytes: 336,
        start: 1432917027,
        end: 1432917142,
        action: 'ACCEPT',
        log_status: 'OK',
      }),
      full({
        version: 2,
        account_id: '123456789010',
        interface_id: 'eni-1235b8ca123456789',
        srcaddr: '2001:db8:1234:a100:8d6e:3477:df66:f105',
        dstaddr: '2001:db8:1234:a102:3304:8879:34cf:4071',
        srcport: 34892,
        dstport: 22,
        protocol: 6,
        packets: 54,
        bytes: 8855,
        start: 1477913708,
        end: 1477913820,
        action: 'ACCEPT',
        log_status: 'OK',
      }),
    ]);
  });

  test('maps the AWS TCP-flag custom format from its header and tolerates the double space in the doc example', () => {
    const results = parseLines([
      'version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status',
      '3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 123456789010 IPv4 52.213.180.42 10.0.0.62 43638 5001 52.213.180.42 10.0.0.62 6 1260 17 1566933133 1566933193 ACCEPT 3 OK',
      '3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 123456789010 IPv4 10.0.0.62 52.213.180.42 5001 43638  10.0.0.62 52.213.180.42 6 967 14 1566933133 1566933193 ACCEPT 19 OK',
    ]);
    const common = {
      version: 3,
      vpc_id: 'vpc-abcdefab012345678',
      subnet_id: 'subnet-aaaaaaaa012345678',
      instance_id: 'i-01234567890123456',
      interface_id: 'eni-1235b8ca123456789',
      account_id: '123456789010',
      type: 'IPv4',
      protocol: 6,
      start: 1566933133,
      end: 1566933193,
      action: 'ACCEPT',
      log_status: 'OK',
    };
    expect(results).toEqual([
      SKIP,
      full({
        ...common,
        srcaddr: '52.213.180.42',
        dstaddr: '10.0.0.62',
        srcport: 43638,
        dstport: 5001,
        pkt_srcaddr: '52.213.180.42',
        pkt_dstaddr: '10.0.0.62',
        bytes: 1260,
        packets: 17,
        tcp_flags: 3,
      }),
      full({
        ...common,
        srcaddr: '10.0.0.62',
        dstaddr: '52.213.180.42',
        srcport: 5001,
        dstport: 43638,
        pkt_srcaddr: '10.0.0.62',
        pkt_dstaddr: '52.213.180.42',
        bytes: 967,
        packets: 14,
        tcp_flags: 19,
      }),
    ]);
  });

  test('parses the AWS NAT gateway example whose format has no version, start or log-status', () => {
    const results = parseLines(
      ['- eni-1235b8ca123456789 10.0.1.5 10.0.0.220 10.0.1.5 203.0.113.5'],
      '${instance-id} ${interface-id} ${srcaddr} ${dstaddr} ${pkt-srcaddr} ${pkt-dstaddr}',
    );
    expect(results).toEqual([
      full({
        interface_id: 'eni-1235b8ca123456789',
        srcaddr: '10.0.1.5',
        dstaddr: '10.0.0.220',
        pkt_srcaddr: '10.0.1.5',
        pkt_dstaddr: '203.0.113.5',
      }),
    ]);
    expect(vpcFlowFormat.eventTimeMicros(results[0] as VpcFlowRecord)).toBeUndefined();
  });

  test('parses the AWS version 5 example with service, traffic-path and flow-direction fields', () => {
    const results = parseLines([
      'version srcaddr dstaddr srcport dstport protocol start end type packets bytes account-id vpc-id subnet-id instance-id interface-id region az-id sublocation-type sublocation-id action tcp-flags pkt-srcaddr pkt-dstaddr pkt-src-aws-service pkt-dst-aws-service traffic-path flow-direction log-status',
      '5 52.95.128.179 10.0.0.71 80 34210 6 1616729292 1616729349 IPv4 14 15044 123456789012 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-0c50d5961bcb2d47b eni-1235b8ca123456789 ap-southeast-2 apse2-az3 - - ACCEPT 19 52.95.128.179 10.0.0.71 S3 - - ingress OK',
      '5 10.0.0.71 52.95.128.179 34210 80 6 1616729292 1616729349 IPv4 7 471 123456789012 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-0c50d5961bcb2d47b eni-1235b8ca123456789 ap-southeast-2 apse2-az3 - - ACCEPT 3 10.0.0.71 52.95.128.179 - S3 8 egress OK',
    ]);
    const common = {
      version: 5,
      protocol: 6,
      start: 1616729292,
      end: 1616729349,
      type: 'IPv4',
      account_id: '123456789012',
      vpc_id: 'vpc-abcdefab012345678',
      subnet_id: 'subnet-aaaaaaaa012345678',
      instance_id: 'i-0c50d5961bcb2d47b',
      interface_id: 'eni-1235b8ca123456789',
      region: 'ap-southeast-2',
      az_id: 'apse2-az3',
      action: 'ACCEPT',
      log_status: 'OK',
    };
    expect(results.slice(1)).toEqual([
      full({
        ...common,
        srcaddr: '52.95.128.179',
        dstaddr: '10.0.0.71',
        srcport: 80,
        dstport: 34210,
        packets: 14,
        bytes: 15044,
        tcp_flags: 19,
        pkt_srcaddr: '52.95.128.179',
        pkt_dstaddr: '10.0.0.71',
        pkt_src_aws_service: 'S3',
        flow_direction: 'ingress',
      }),
      full({
        ...common,
        srcaddr: '10.0.0.71',
        dstaddr: '52.95.128.179',
        srcport: 34210,
        dstport: 80,
        packets: 7,
        bytes: 471,
        tcp_flags: 3,
        pkt_srcaddr: '10.0.0.71',
        pkt_dstaddr: '52.95.128.179',
        pkt_dst_aws_service: 'S3',
        traffic_path: 8,
        flow_direction: 'egress',
      }),
    ]);
  });

  test('parses the version 11 fields from a header written with underscores', () => {
    const results = parseLines([
      'version srcaddr dstaddr srcport dstport protocol start end action log_status reject_reason resource_id encryption_status instance_tag instance_tag_2 interface_tag interface_tag_2 asg_tag asg_tag_2 interface_type next_hop_interface_id next_hop_subnet_id next_hop_az_id next_hop_vpc_id next_hop_interface_type',
      '11 10.0.0.71 52.95.128.179 34210 80 6 1616729292 1616729349 REJECT OK BPA nat-0c50d5961bcb2d47b 1 web web-2 eth0 eth0-2 my-asg my-asg-2 nat_gateway eni-1111aaaa2222bbbb3 subnet-aaaaaaaa012345678 apse2-az3 vpc-abcdefab012345678 network_load_balancer',
    ]);
    expect(results[1]).toEqual(
      full({
        version: 11,
        srcaddr: '10.0.0.71',
        dstaddr: '52.95.128.179',
        srcport: 34210,
        dstport: 80,
        protocol: 6,
        start: 1616729292,
        end: 1616729349,
        action: 'REJECT',
        log_status: 'OK',
        reject_reason: 'BPA',
        resource_id: 'nat-0c50d5961bcb2d47b',
        encryption_status: 1,
        instance_tag: 'web',
        instance_tag_2: 'web-2',
        interface_tag: 'eth0',
        interface_tag_2: 'eth0-2',
        asg_tag: 'my-asg',
        asg_tag_2: 'my-asg-2',
        interface_type: 'nat_gateway',
        next_hop_interface_id: 'eni-1111aaaa2222bbbb3',
        next_hop_subnet_id: 'subnet-aaaaaaaa012345678',
        next_hop_az_id: 'apse2-az3',
        next_hop_vpc_id: 'vpc-abcdefab012345678',
        next_hop_interface_type: 'network_load_balancer',
      }),
    );
  });

  test('reads a 29-field SKIPDATA line by its header, not by its token count', () => {
    const results = parseLines([
      'account-id action az-id bytes dstaddr dstport end flow-direction instance-id interface-id log-status packets pkt-dst-aws-service pkt-dstaddr pkt-src-aws-service pkt-srcaddr protocol region srcaddr srcport start sublocation-id sublocation-type subnet-id tcp-flags traffic-path type version vpc-id',
      '325352056000 - apne1-az1 - - - 1700185000 - i-085c8f3d12aa57000 eni-03a3504cbdd789000 SKIPDATA - - - - - - ap-northeast-1 - - 1700185000 - - subnet-f27b1000 - - - 5 vpc-bcd5b000',
    ]);
    expect(results[1]).toEqual(
      full({
        account_id: '325352056000',
        az_id: 'apne1-az1',
        end: 1700185000,
        instance_id: 'i-085c8f3d12aa57000',
        interface_id: 'eni-03a3504cbdd789000',
        log_status: 'SKIPDATA',
        region: 'ap-northeast-1',
        start: 1700185000,
        subnet_id: 'subnet-f27b1000',
        version: 5,
        vpc_id: 'vpc-bcd5b000',
      }),
    );
  });

  test('gives two custom formats with the same token count different records', () => {
    const line = '5 10.0.0.1 10.0.0.2 443 8080';
    const a = parseLines([line], 'version srcaddr dstaddr srcport dstport')[0] as VpcFlowRecord;
    const b = parseLines([line], 'version dstaddr srcaddr dstport srcport')[0] as VpcFlowRecord;
    expect([a.srcaddr, a.srcport, b.srcaddr, b.srcport]).toEqual(['10.0.0.1', 443, '10.0.0.2', 8080]);
  });

  test('lets a header line override the vpcFormat option and keeps unknown header fields as text columns', () => {
    const parser = vpcFlowFormat.createParser({ vpcFormat: '${version} ${srcaddr}' });
    expect(parser.parse('version account-id future-field log-status', 1)).toBe(SKIP);
    expect(parser.parse('12 unknown hello OK', 2)).toEqual(
      full({ version: 12, account_id: 'unknown', future_field: 'hello', log_status: 'OK' }),
    );
    expect(parser.schema().fields.at(-1)).toEqual({
      name: 'future_field',
      type: 'string',
      nullable: true,
      doc: 'unknown header field, as text',
    });
  });

  test('puts each known field of a one-field format in its own column and leaves every other column null', () => {
    for (const spec of VPC_FIELDS) {
      const text = spec.values?.[0] ?? String(spec.range?.[0] ?? 7);
      const [record] = parseLines([text], `\${${spec.token}}`);
      expect({ token: spec.token, record }).toEqual({
        token: spec.token,
        record: full({ [spec.column]: spec.kind === 'string' ? text : Number(text) }),
      });
    }
  });

  test('separates tokens by any run of spaces, tabs and carriage returns', () => {
    const tokens = '2 123456789010 eni-1 10.0.0.1 52.0.0.2 1 443 6 20 4249 1418530010 1418530070 ACCEPT OK'.split(' ');
    const [expected] = parseLines([tokens.join(' ')]);
    const separator = fc.array(fc.constantFrom(' ', '\t', '\r'), { minLength: 1, maxLength: 3 }).map((chars) => chars.join(''));
    fc.assert(
      fc.property(
        fc.array(separator, { minLength: tokens.length + 1, maxLength: tokens.length + 1 }),
        fc.boolean(),
        (separators, padded) => {
          const line =
            tokens.map((token, i) => (i === 0 && !padded ? '' : separators[i]) + token).join('') +
            (padded ? separators[tokens.length] : '');
          expect(parseLines([line])).toEqual([expected]);
        },
      ),
    );
  });

  test('gives a repeated header field a text column of its own without overwriting another field', () => {
    const parser = vpcFlowFormat.createParser();
    expect(parser.parse('srcaddr instance-tag instance-tag srcaddr', 1)).toBe(SKIP);
    expect(parser.parse('10.0.0.1 a b 10.0.0.2', 2)).toEqual(
      full({ srcaddr: '10.0.0.1', instance_tag: 'a', instance_tag_3: 'b', srcaddr_2: '10.0.0.2' }),
    );
    expect(
      parser
        .schema()
        .fields.slice(-2)
        .map((f) => f.name),
    ).toEqual(['instance_tag_3', 'srcaddr_2']);
  });

  test('rejects a line with more fields than its header declares instead of shifting every value', () => {
    const parser = vpcFlowFormat.createParser();
    expect(parser.parse(V2_HEADER, 1)).toBe(SKIP);
    // One token too many in the middle: read positionally, action would be "1717236030" and log_status a time.
    const shifted = parser.parse('2 123456789010 eni-1 vpc-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1717236030 1717236090 ACCEPT OK', 2);
    expect(shifted).toEqual(new Rejection('line has 15 fields, the header declares 14 (values would shift into the wrong columns)'));
    expect(parseLines(['2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1418530010 1418530070 ACCEPT OK new-a'])).toEqual([
      new Rejection('line has 15 fields, the default format declares 14 (values would shift into the wrong columns)'),
    ]);
    expect(parseLines(['10.0.0.1 10.0.0.2 x'], '${srcaddr} ${dstaddr}')).toEqual([
      new Rejection('line has 3 fields, the vpcFormat declares 2 (values would shift into the wrong columns)'),
    ]);
  });

  test('types every Transit Gateway field, the packets-lost counters as integers', () => {
    const byColumn = new Map(VPC_FIELDS.map((spec) => [spec.column, spec]));
    for (const name of ['packets_lost_no_route', 'packets_lost_blackhole', 'packets_lost_mtu_exceeded', 'packets_lost_ttl_expired'])
      expect(byColumn.get(name)?.kind).toBe('int64');
    for (const name of [
      'resource_type',
      'tgw_id',
      'tgw_attachment_id',
      'tgw_src_vpc_account_id',
      'tgw_dst_vpc_account_id',
      'tgw_src_vpc_id',
      'tgw_dst_vpc_id',
      'tgw_src_subnet_id',
      'tgw_dst_subnet_id',
      'tgw_src_eni',
      'tgw_dst_eni',
      'tgw_src_az_id',
      'tgw_dst_az_id',
      'tgw_pair_attachment_id',
    ]) {
      expect(vpcFlowFormat.schema.fields.find((f) => f.name === name)?.type).toBe('string');
    }
    const parser = vpcFlowFormat.createParser({
      vpcFormat: '${version} ${resource-type} ${tgw-id} ${packets-lost-blackhole} ${packets-lost-ttl-expired}',
    });
    expect(parser.parse('6 TransitGateway tgw-1 3 0', 1)).toEqual(
      full({ version: 6, resource_type: 'TransitGateway', tgw_id: 'tgw-1', packets_lost_blackhole: 3, packets_lost_ttl_expired: 0 }),
    );
    expect(parser.parse('6 VPC tgw-1 3 0', 2)).toEqual(new Rejection('resource_type: "VPC" is not one of TransitGateway', 'resource_type'));
    expect(parser.parse('6 TransitGateway tgw-1 x 0', 3)).toEqual(
      new Rejection('packets_lost_blackhole: "x" is not an integer', 'packets_lost_blackhole'),
    );
  });

  test('drops the ISO timestamp that CloudWatch Logs exports put before the message', () => {
    const [record] = parseLines([
      '2018-09-22T20:28:14.000Z 2 633112549318 eni-0a1b2c3d 10.0.0.5 10.0.1.9 443 51000 6 10 840 1537647974 1537648034 ACCEPT OK',
    ]);
    expect(record).toMatchObject({ version: 2, account_id: '633112549318', start: 1537647974, action: 'ACCEPT', log_status: 'OK' });
  });

  test('rejects a non-numeric port with a reason naming the field and the value', () => {
    const [result] = parseLines(['2 123456789010 eni-1 10.0.0.1 10.0.0.2 http 22 6 20 4249 1418530010 1418530070 ACCEPT OK']);
    expect(result).toEqual(new Rejection('srcport: "http" is not a 32-bit integer', 'srcport'));
  });

  test('rejects a truncated line with both field counts in the reason', () => {
    const [result] = parseLines(['2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 22 6 20 4249 1418530010']);
    expect(result).toEqual(new Rejection('line has 11 fields, the default format declares 14 (fields are missing)'));
  });

  test('skips blank and whitespace-only lines', () => {
    expect(parseLines(['', '   ', '\t\r'])).toEqual([SKIP, SKIP, SKIP]);
  });

  test('reports start in epoch microseconds as the event time', () => {
    const [record] = parseLines(['2 1 eni-1 - - - - - - - 1431280876 1431280934 - NODATA']);
    expect(vpcFlowFormat.eventTimeMicros(record as VpcFlowRecord)).toBe(1431280876_000_000);
  });

  test('refuses a vpcFormat option that names no field when the parser is created', () => {
    expect(() => vpcFlowFormat.createParser({ vpcFormat: '   ' })).toThrow(/names no fields/);
  });

  test('matches every fixture file with its expected output', () => {
    const names = readdirSync(FIXTURES).filter((name) => name.endsWith('.log'));
    expect(names.length).toBeGreaterThanOrEqual(10);
    for (const name of names) {
      const lines = readFileSync(join(FIXTURES, name), 'utf8').split('\n');
      if (lines.at(-1) === '') lines.pop();
      const expected = readExpectedJsonl(readFileSync(join(FIXTURES, name.replace(/\.log$/, '.expected.jsonl')), 'utf8'));
      expect({ name, outputs: runParser(vpcFlowFormat.createParser(), lines).outputs }).toEqual({ name, outputs: expected });
    }
  });

  test('never throws, and every record it returns follows the schema', () => {
    const token = fc.oneof(
      fc.constantFrom(
        '-',
        '2',
        '5',
        'ACCEPT',
        'OK',
        'NODATA',
        'version',
        'srcport',
        'log-status',
        '10.0.0.1',
        '2001:db8::1',
        '99999999999',
        '',
      ),
      fc.string({ maxLength: 6 }),
    );
    const line = fc.oneof(
      fc.array(token, { maxLength: 20 }).map((t) => t.join(' ')),
      fc.string({ maxLength: 80 }),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), (lines) => {
        const parser = vpcFlowFormat.createParser();
        for (const text of [V2_HEADER, ...lines]) {
          const result = parser.parse(text, 1);
          if (result instanceof Rejection) expect(result.reason.length).toBeGreaterThan(0);
          else if (result !== SKIP) expect({ text, problems: schemaViolations(result, parser.schema()) }).toEqual({ text, problems: [] });
        }
      }),
      { numRuns: 300 },
    );
  });

  test('rejects a line whose number field was damaged, naming the field, and gives the lines around it their own records', () => {
    const [header, ...sample] = [...generateVpcFlowLines({ records: 300, seed: 12, format: VPC_FIELDS.map((spec) => spec.token) })];
    const parseAlone = (text: string) => {
      const parser = vpcFlowFormat.createParser();
      parser.parse(header!, 1);
      return parser.parse(text, 2);
    };
    const intact = fc.constantFrom(...sample).map((text) => ({ text, damage: undefined as DamagedLine | undefined }));
    const damaged = damagedLine(sample, ' ').map((damage) => ({ text: damage.text, damage: damage as DamagedLine | undefined }));
    fc.assert(
      fc.property(fc.array(fc.oneof(intact, damaged), { minLength: 1, maxLength: 20 }), (lines) => {
        const parser = vpcFlowFormat.createParser();
        expect(parser.parse(header!, 1)).toBe(SKIP);
        lines.forEach(({ text, damage }, index) => {
          const result = parser.parse(text, index + 2);
          if (damage === undefined) expect(result).toEqual(parseAlone(text));
          else expectDamageReported(damage, result, parseAlone(damage.original) as Record<string, unknown>, parser.schema().fields);
        });
      }),
      { numRuns: 300 },
    );
  });
});
