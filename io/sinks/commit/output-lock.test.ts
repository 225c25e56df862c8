import { startFaultProxy, type FaultProxy } from '../../../test/servers/fault-proxy.js';
import { startS3Server, type S3TestServer } from '../../../test/servers/s3-server.js';
import { storeFor } from '../../storage/store-for.js';
import { lockUri } from './layout.js';
import { acquireOutputLock, OutputLockedError, releaseOutputLock } from './output-lock.js';

const describeWithProxy = process.env['LOGBEAM_TEST_S3_BUCKET'] ? describe.skip : describe;

let s3: S3TestServer;
let proxy: FaultProxy;
beforeAll(async () => {
  s3 = await startS3Server();
  if (s3.endpoint !== undefined) proxy = await startFaultProxy(s3.endpoint);
}, 180_000);
afterAll(async () => {
  await proxy?.stop();
  await s3?.stop();
});

describeWithProxy('the output lock on S3 behind a faulty connection', () => {
  it('holds the lock when the response to its create was lost and the retried create found it', async () => {
    const output = s3.prefix('lost-lock-response');
    const store = storeFor(output, { ...s3.settings, endpoint: proxy.endpoint });
    proxy.setRules([{ operation: 'put', key: /\/_lock$/, nth: [1], fault: { kind: 'lose-response' } }]);
    proxy.clearLog();
    await expect(acquireOutputLock(store, output, 'run-1')).resolves.toEqual({ takenOver: undefined });
    // The create reached the server twice: once with its response dropped, once retried by the SDK.
    expect(proxy.log.filter((request) => request.operation === 'put' && request.key.endsWith('/_lock'))).toHaveLength(2);
    await expect(acquireOutputLock(store, output, 'run-2')).rejects.toThrow(OutputLockedError);
    await releaseOutputLock(store, output, 'run-1');
    expect(await store.exists(lockUri(output))).toBe(false);
  });
});
