import { field } from '../../../core/schema.js';
import { chosenParquetWriter } from './choose-parquet-writer.js';
import { parquetSink } from './index.js';
import { nativeParquetAddon } from './native-parquet-writer.js';

describe('choosing the Parquet writer (LOGBEAM_PARQUET_WRITER)', () => {
  const before = process.env.LOGBEAM_PARQUET_WRITER;
  afterEach(() => {
    if (before === undefined) delete process.env.LOGBEAM_PARQUET_WRITER;
    else process.env.LOGBEAM_PARQUET_WRITER = before;
  });
  const schema = { fields: [field('a', 'string')] };

  it('fails when the pipeline is built, naming the allowed values, for a value it does not know', () => {
    process.env.LOGBEAM_PARQUET_WRITER = 'rust';
    expect(() => parquetSink({ output: '/tmp/never-written', schema })).toThrow(
      'LOGBEAM_PARQUET_WRITER must be "native" or "wasm" (or unset to use the native writer when built), not "rust"',
    );
  });

  it('takes wasm when asked, and the native writer exactly when it is built otherwise', () => {
    process.env.LOGBEAM_PARQUET_WRITER = 'wasm';
    expect(chosenParquetWriter()).toBe('wasm');
    delete process.env.LOGBEAM_PARQUET_WRITER;
    expect(chosenParquetWriter()).toBe(nativeParquetAddon() === undefined ? 'wasm' : 'native');
    process.env.LOGBEAM_PARQUET_WRITER = 'native';
    if (nativeParquetAddon() === undefined) expect(() => chosenParquetWriter()).toThrow('run `npm run build:native`');
    else expect(chosenParquetWriter()).toBe('native');
  });
});
