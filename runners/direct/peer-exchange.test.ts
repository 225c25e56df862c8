/**
 * The peer exchange (peer-exchange.ts) hands a batch to the other worker as a copy: nothing in the transfer list,
 * so no ArrayBuffer of the sending thread is ever detached (a detach makes V8 throw away and recompile every
 * optimised function that reads typed arrays, in that isolate), and the receiver absorbs the same items.
 */
import { describe, expect, it, jest } from '@jest/globals';
import { MessageChannel } from 'node:worker_threads';
import { PeerExchange } from './peer-exchange.js';

describe('PeerExchange', () => {
  it('sends a batch as a copy, with no buffer transferred, and the peer absorbs the same items', async () => {
    const { port1, port2 } = new MessageChannel();
    const received: unknown[][] = [];
    const absorbed = new Promise<void>((resolve) => {
      const receiver = new PeerExchange(
        [port2, undefined],
        (_store, _kind, items) => {
          received.push(items);
          resolve();
        },
        (error) => {
          throw error;
        },
      );
      void receiver;
    });
    const sender = new PeerExchange(
      [undefined, port1],
      () => undefined,
      (error) => {
        throw error;
      },
    );
    const post = jest.spyOn(port1, 'postMessage');
    try {
      const items = ['10.0.0.1\u0001443', 0, 3_600_000_000, { bytes: 1_500, packets: 3 }];
      sender.send(1, 'SumPerKey', 'inputs', items);
      await absorbed;
      expect(received).toEqual([items]);
      expect(post).toHaveBeenCalledTimes(1);
      const [message, transfer] = post.mock.calls[0]!;
      expect(transfer).toBeUndefined();
      // Still attached on the sending side: a transferred buffer reads as 0 bytes here.
      expect((message as { bytes: ArrayBuffer }).bytes.byteLength).toBeGreaterThan(0);
    } finally {
      sender.close();
      port2.close();
    }
  });
});
