/**
 * @module portable/payload-codecs
 * What logbeam puts inside `beam:coder:bytes:v1`: values as compact payloads (see compact-value), keys of KV
 * collections as deterministic bytes, since the engine groups by key bytes. Keys group as on the direct runner
 * (`keyIdentity`): a string as itself, any other key by its JSON text.
 */
import { isWellFormedText, readCompactValue, writeCompactValue } from './compact-value.js';
import type { ValueCodec } from './wire-format.js';

/** A key's first byte when it is a string; JSON text never starts with it. */
const STRING_KEY = 0x01;

/** A value (empty bytes, e.g. from Impulse, read as `undefined`). */
export const valueBytesCodec: ValueCodec = {
  read(reader) {
    const length = reader.varint();
    return length === 0 ? undefined : readCompactValue(reader, length);
  },
  write(writer, value) {
    if (value === undefined) {
      writer.varint(0);
      return;
    }
    const at = writer.startLengthPrefix();
    writeCompactValue(writer, value);
    writer.endLengthPrefix(at);
  },
};

/**
 * A key: a string as `0x01` and its UTF-8 bytes (no escaping; lone surrogates, which UTF-8 cannot hold, take
 * the JSON form), any other key as UTF-8 JSON (`null` for `undefined`).
 */
export const keyBytesCodec: ValueCodec = {
  read(reader) {
    const length = reader.varint();
    if (length === 0) return undefined;
    const text = reader.utf8(length);
    return text.charCodeAt(0) === STRING_KEY ? text.slice(1) : (JSON.parse(text) as unknown);
  },
  write(writer, key) {
    const at = writer.startLengthPrefix();
    if (typeof key === 'string' && isWellFormedText(key)) {
      writer.byte(STRING_KEY);
      writer.text(key);
    } else writer.text(JSON.stringify(key ?? null));
    writer.endLengthPrefix(at);
  },
};
