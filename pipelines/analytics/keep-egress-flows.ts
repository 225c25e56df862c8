/**
 * @module pipelines/analytics/keep-egress-flows
 * The first step of the VPC flow egress aggregation: keeps accepted flows with bytes whose destination is
 * outside the internal blocks, and keys each by hour and flow (`FlowKey`). It reads records one by one
 * (`process`) or a reader's column batches row by row (`processRows`, the direct runner's batch path): both
 * give the same key string and amounts for the same flow, so rows of either path group together.
 */
import type { BatchReadingDoFn, RowOutput } from '../../core/batch-capability.js';
import type { BytesColumn, ColumnBatch, NumbersColumn } from '../../core/column-batch.js';
import type { ProcessContext } from '../../core/dofn.js';
import { kv, tupleKey, type KV } from '../../core/kv.js';
import { TupleKeyBuilder } from '../../core/tuple-key-builder.js';
import type { VpcFlowRecord } from '../../io/formats/vpc-flow/schema.js';
import { CidrSet } from '../../transforms/features/cidr-set.js';

/**
 * The group: epoch hour, srcaddr, dstaddr, dstport, protocol, vpc_id, instance_id, interface_id, region, as one
 * `tupleKey` string (grouped as is and small to hold and ship, where an array key costs a JSON text per element).
 */
export type FlowKey = string;
export type FlowAmounts = { bytes: number; packets: number | null };
export type EgressFlow = KV<FlowKey, FlowAmounts>;

const ACCEPT = new TextEncoder().encode('ACCEPT');

/** The columns `processRows` reads, found once per batch layout. */
interface FlowColumns {
  readonly action: BytesColumn;
  readonly bytes: NumbersColumn;
  readonly packets: NumbersColumn;
  readonly start: NumbersColumn;
  readonly srcaddr: BytesColumn;
  readonly dstaddr: BytesColumn;
  readonly dstport: NumbersColumn;
  readonly protocol: NumbersColumn;
  readonly vpc_id: BytesColumn;
  readonly instance_id: BytesColumn;
  readonly interface_id: BytesColumn;
  readonly region: BytesColumn;
}

const TEXT_COLUMNS = ['action', 'srcaddr', 'dstaddr', 'vpc_id', 'instance_id', 'interface_id', 'region'] as const;
const NUMBER_COLUMNS = ['bytes', 'packets', 'start', 'dstport', 'protocol'] as const;

export class KeepEgressFlows implements BatchReadingDoFn<VpcFlowRecord, EgressFlow> {
  private readonly internal: CidrSet;
  private readonly key = new TupleKeyBuilder();
  private readonly defaultRegionBytes: Uint8Array | null;
  private layout: { readonly fields: ColumnBatch['fields']; readonly indexes: ReadonlyMap<keyof FlowColumns, number> } | undefined;

  /**
   * @param internalCidrs blocks whose destinations are not egress
   * @param defaultRegion the region of records without one (formats before v3), or null
   */
  constructor(
    internalCidrs: readonly string[],
    private readonly defaultRegion: string | null,
  ) {
    this.internal = new CidrSet(internalCidrs);
    this.defaultRegionBytes = defaultRegion === null ? null : new TextEncoder().encode(defaultRegion);
  }

  process(record: VpcFlowRecord, ctx: ProcessContext<EgressFlow>): void {
    const bytes = record.bytes;
    if (record.action !== 'ACCEPT' || bytes === null || bytes <= 0 || record.start === null) return;
    const dstaddr = record.dstaddr;
    if (dstaddr === null || record.srcaddr === null || this.internal.contains(dstaddr)) return;
    const region = typeof record.region === 'string' ? record.region : this.defaultRegion;
    const key = tupleKey([
      Math.floor(record.start / 3600),
      record.srcaddr,
      dstaddr,
      record.dstport,
      record.protocol,
      record.vpc_id,
      record.instance_id,
      record.interface_id,
      region,
    ]);
    ctx.output(kv(key, { bytes, packets: record.packets }));
  }

  processRows(batch: ColumnBatch, output: RowOutput<EgressFlow>): void {
    const c = this.columnsOf(batch);
    const key = this.key;
    for (let row = 0; row < batch.length; row++) {
      if (!equalsText(c.action, row, ACCEPT)) continue;
      const bytes = c.bytes.values[row]!;
      if (c.bytes.valid[row] === 0 || bytes <= 0 || c.start.valid[row] === 0) continue;
      if (c.dstaddr.valid[row] === 0 || c.srcaddr.valid[row] === 0) continue;
      const dstStart = c.dstaddr.offsets[row]!;
      const dstEnd = c.dstaddr.offsets[row + 1]!;
      if (this.internal.containsBytes(c.dstaddr.bytes, dstStart, dstEnd)) continue;
      key.begin().number(Math.floor(c.start.values[row]! / 3600));
      textPart(key, c.srcaddr, row);
      key.text(c.dstaddr.bytes, dstStart, dstEnd);
      numberPart(key, c.dstport, row);
      numberPart(key, c.protocol, row);
      textPart(key, c.vpc_id, row);
      textPart(key, c.instance_id, row);
      textPart(key, c.interface_id, row);
      if (c.region.valid[row] !== 0) textPart(key, c.region, row);
      else if (this.defaultRegionBytes === null) key.null();
      else key.text(this.defaultRegionBytes, 0, this.defaultRegionBytes.length);
      const packets = c.packets.valid[row] === 0 ? null : c.packets.values[row]!;
      output.outputKeyedRow(row, key, { bytes, packets });
    }
  }

  /** The batch's flow columns; their positions are found once per batch layout (each batch has its own vectors). */
  private columnsOf(batch: ColumnBatch): FlowColumns {
    if (this.layout?.fields !== batch.fields) this.layout = { fields: batch.fields, indexes: flowColumnIndexes(batch) };
    const columns: Record<string, BytesColumn | NumbersColumn> = {};
    for (const [name, index] of this.layout.indexes) columns[name] = batch.columns[index]!;
    return columns as unknown as FlowColumns;
  }
}

/** Where each flow column is in a batch layout; a layout without one of them (or of another kind) is a wiring error. */
function flowColumnIndexes(batch: ColumnBatch): ReadonlyMap<keyof FlowColumns, number> {
  const indexes = new Map<keyof FlowColumns, number>();
  const find = (name: keyof FlowColumns, kind: 'bytes' | 'numbers') => {
    const index = batch.fields.findIndex((field) => field.name === name);
    if (batch.columns[index]?.kind !== kind)
      throw new Error(
        `KeepEgressFlows: the record batch has no ${kind === 'bytes' ? 'text' : 'numeric'} column "${name}" (is it a VPC flow batch?)`,
      );
    indexes.set(name, index);
  };
  for (const name of TEXT_COLUMNS) find(name, 'bytes');
  for (const name of NUMBER_COLUMNS) find(name, 'numbers');
  return indexes;
}

function equalsText(column: BytesColumn, row: number, text: Uint8Array): boolean {
  if (column.valid[row] === 0) return false;
  const start = column.offsets[row]!;
  if (column.offsets[row + 1]! - start !== text.length) return false;
  const bytes = column.bytes;
  for (let i = 0; i < text.length; i++) if (bytes[start + i] !== text[i]) return false;
  return true;
}

function textPart(key: TupleKeyBuilder, column: BytesColumn, row: number): void {
  if (column.valid[row] === 0) key.null();
  else key.text(column.bytes, column.offsets[row]!, column.offsets[row + 1]!);
}

function numberPart(key: TupleKeyBuilder, column: NumbersColumn, row: number): void {
  if (column.valid[row] === 0) key.null();
  else key.number(column.values[row]!);
}
