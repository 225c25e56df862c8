/**
 * @module portable/harness/codecs
 * Builds wire codecs from the coder specs of a process bundle descriptor. A `beam:coder:bytes:v1` in a key
 * position holds a key's deterministic bytes, anywhere else a compact value (see payload-codecs).
 */
import {
  globalWindowCodec,
  intervalWindowCodec,
  iterableCodec,
  kvCodec,
  lengthPrefixCodec,
  WindowedValueCodec,
  type ValueCodec,
  type WindowCodec,
} from '../wire-format.js';
import { keyBytesCodec, valueBytesCodec } from '../payload-codecs.js';

export interface CoderSpec {
  spec: { urn: string };
  component_coder_ids: string[];
}

export function valueCodec(coders: Record<string, CoderSpec>, id: string, role: 'key' | 'value' = 'value'): ValueCodec {
  const coder = coders[id];
  if (coder === undefined) throw new Error(`the process bundle descriptor has no coder "${id}"`);
  const components = coder.component_coder_ids;
  switch (coder.spec.urn) {
    case 'beam:coder:bytes:v1':
      return role === 'key' ? keyBytesCodec : valueBytesCodec;
    case 'beam:coder:kv:v1':
      return kvCodec(valueCodec(coders, components[0]!, 'key'), valueCodec(coders, components[1]!, 'value'));
    case 'beam:coder:iterable:v1':
      return iterableCodec(valueCodec(coders, components[0]!, role));
    case 'beam:coder:length_prefix:v1': {
      // length_prefix(bytes) is a varint length and the raw bytes: exactly bytes in the nested context.
      if (coders[components[0]!]?.spec.urn === 'beam:coder:bytes:v1') return valueCodec(coders, components[0]!, role);
      return lengthPrefixCodec(valueCodec(coders, components[0]!, role));
    }
    default:
      throw new Error(`coder ${coder.spec.urn} is not supported by the logbeam SDK harness`);
  }
}

export function windowCodec(coders: Record<string, CoderSpec>, id: string): WindowCodec {
  const urn = coders[id]?.spec.urn;
  if (urn === 'beam:coder:global_window:v1') return globalWindowCodec;
  if (urn === 'beam:coder:interval_window:v1') return intervalWindowCodec;
  throw new Error(`window coder ${urn ?? id} is not supported by the logbeam SDK harness`);
}

/** The codec of a data port's `windowed_value` coder. */
export function windowedValueCodec(coders: Record<string, CoderSpec>, id: string): WindowedValueCodec {
  const coder = coders[id];
  if (coder?.spec.urn !== 'beam:coder:windowed_value:v1')
    throw new Error(`data port coder ${coder?.spec.urn ?? id} is not a windowed_value coder`);
  return new WindowedValueCodec(valueCodec(coders, coder.component_coder_ids[0]!), windowCodec(coders, coder.component_coder_ids[1]!));
}
