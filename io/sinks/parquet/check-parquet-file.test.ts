import { field, schema } from '../../../core/schema.js';
import { checkParquetFile } from './check-parquet-file.js';
import { createParquetEncoder } from './parquet-encoder.js';

/** A real Parquet file from the encoder. */
async function parquetBytes(): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  const encoder = createParquetEncoder<{ id: number }>(
    schema([field('id', 'int64')]).fields,
    { compression: 'none', rowGroupRows: 10, dictionary: false },
    async (chunk) => {
      chunks.push(Buffer.from(chunk));
    },
  );
  for (let id = 0; id < 25; id++) encoder.append({ id });
  await encoder.finish();
  return Buffer.concat(chunks);
}

const check = (bytes: Buffer): Promise<string | undefined> =>
  checkParquetFile(bytes.length, async (start, end) => bytes.subarray(start, end));

describe('checkParquetFile', () => {
  it('passes a whole file and rejects one cut anywhere or with a damaged footer', async () => {
    const whole = await parquetBytes();
    expect(await check(whole)).toBeUndefined();
    for (const cut of [1, 4, 8, 100, whole.length - 12])
      expect(await check(whole.subarray(0, whole.length - cut))).toMatch(/PAR1|too short|footer length/);
    const badLength = Buffer.from(whole);
    badLength.writeUInt32LE(whole.length, whole.length - 8);
    expect(await check(badLength)).toMatch(/footer length/);
  });
});
