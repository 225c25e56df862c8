/**
 * @module sources/testing/gunzips-under-test
 * For tests: the gunzips to run a suite against (node:zlib always; the native addon's when it is built, and
 * always where `LOGBEAM_REQUIRE_NATIVE_PARQUET=1`, as in CI, since the same addon holds both), and a jest hook
 * that selects one for a describe block.
 */
import { NATIVE_ADDON_PATH } from '../../native/native-addon.js';
import { type GunzipKind, nativeGunzipAddon } from '../native-gunzip.js';

export function gunzipsUnderTest(): GunzipKind[] {
  if (nativeGunzipAddon() !== undefined) return ['zlib', 'native'];
  if (process.env.LOGBEAM_REQUIRE_NATIVE_PARQUET === '1')
    throw new Error(
      `LOGBEAM_REQUIRE_NATIVE_PARQUET=1 but ${NATIVE_ADDON_PATH} is not built with the gzip decoder: run \`npm run build:native\``,
    );
  return ['zlib'];
}

/** Sets LOGBEAM_GUNZIP to `gunzip` for the tests of the enclosing describe block. */
export function useGunzip(gunzip: GunzipKind): void {
  let before: string | undefined;
  beforeAll(() => {
    before = process.env.LOGBEAM_GUNZIP;
    process.env.LOGBEAM_GUNZIP = gunzip;
  });
  afterAll(() => {
    if (before === undefined) delete process.env.LOGBEAM_GUNZIP;
    else process.env.LOGBEAM_GUNZIP = before;
  });
}
