/**
 * @module test/servers/fault-proxy
 * A fault-injecting HTTP proxy for S3 tests: it sits between the client and the S3 test server (moto) and, per
 * rule, resets the connection, answers 503 SlowDown or 500, cuts a response body short, or forwards the request
 * and drops the response (the server acted, the client never hears). Every request is logged with the fault
 * applied, so a test can assert how many attempts were made and with which headers (e.g. `Range`, `If-Match`).
 *
 * A rule matches on method, S3 operation and object key; `nth` picks which matching requests (1-based) get the
 * fault, so "the first GetObject of this key" and "every UploadPart" are both one rule.
 */
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Socket } from 'node:net';

/** The S3 operation a request performs, as far as the proxy can tell from method, query and headers. */
export type S3Operation =
  | 'get'
  | 'head'
  | 'put'
  | 'copy'
  | 'create-multipart'
  | 'upload-part'
  | 'complete-multipart'
  | 'abort-multipart'
  | 'delete'
  | 'delete-many'
  | 'list'
  | 'other';

/** What to do to a matched request. */
export type Fault =
  /** Destroy the client connection before forwarding (the server never sees the request). */
  | { readonly kind: 'reset' }
  /** Answer with this status and an S3 error document, without forwarding. */
  | { readonly kind: 'status'; readonly status: 500 | 503 }
  /**
   * Forward, then send the headers (with the full Content-Length) and only the first `bytes` of the body, then
   * close the connection (`reset`: with a TCP reset, as a crashed peer or middlebox does).
   */
  | { readonly kind: 'short-body'; readonly bytes: number; readonly reset?: boolean }
  /** Forward and let the server act, then destroy the client connection without answering. */
  | { readonly kind: 'lose-response' }
  /** Forward, and hold the response back for `ms` milliseconds. */
  | { readonly kind: 'delay'; readonly ms: number };

export interface FaultRule {
  readonly method?: string;
  readonly operation?: S3Operation;
  /** Tested against the object key (without the bucket). */
  readonly key?: RegExp;
  /** Which matching requests get the fault, 1-based; all when absent. */
  readonly nth?: readonly number[];
  /** The fault; absent: forward untouched (useful with `before`). */
  readonly fault?: Fault;
  /** Awaited before the request is handled, e.g. to change the object between a client's attempts. */
  readonly before?: () => Promise<void>;
}

/** One request the proxy saw. */
export interface ProxiedRequest {
  readonly method: string;
  readonly operation: S3Operation;
  readonly bucket: string;
  readonly key: string;
  readonly headers: IncomingHttpHeaders;
  /** The fault applied, or `undefined` when forwarded untouched. */
  readonly fault: Fault['kind'] | undefined;
}

export interface FaultProxy {
  /** `http://127.0.0.1:<port>`: give this to the client as its S3 endpoint. */
  readonly endpoint: string;
  /** Replaces the rules (and restarts their counts). */
  setRules(rules: readonly FaultRule[]): void;
  /** Requests seen since the last `clearLog`, oldest first. */
  readonly log: readonly ProxiedRequest[];
  clearLog(): void;
  stop(): Promise<void>;
}

function operationOf(method: string, query: URLSearchParams, headers: IncomingHttpHeaders, key: string): S3Operation {
  if (method === 'GET') return key === '' ? 'list' : 'get';
  if (method === 'HEAD') return 'head';
  if (method === 'PUT') {
    if (query.has('partNumber')) return 'upload-part';
    return headers['x-amz-copy-source'] === undefined ? 'put' : 'copy';
  }
  if (method === 'POST') {
    if (query.has('uploads')) return 'create-multipart';
    if (query.has('uploadId')) return 'complete-multipart';
    if (query.has('delete')) return 'delete-many';
  }
  if (method === 'DELETE') return query.has('uploadId') ? 'abort-multipart' : 'delete';
  return 'other';
}

function errorDocument(status: 500 | 503): string {
  const code = status === 503 ? 'SlowDown' : 'InternalError';
  const message = status === 503 ? 'Please reduce your request rate.' : 'We encountered an internal error. Please try again.';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>fault-proxy</RequestId></Error>`;
}

/**
 * Starts a proxy in front of `upstream` (e.g. the moto endpoint, path-style addressing).
 * @example const proxy = await startFaultProxy(s3.endpoint!); proxy.setRules([{ operation: 'get', nth: [1], fault: { kind: 'reset' } }]);
 */
export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const target = new URL(upstream);
  let rules: readonly FaultRule[] = [];
  let counts: number[] = [];
  const log: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();

  const ruleFor = (method: string, operation: S3Operation, key: string): FaultRule | undefined => {
    let chosen: FaultRule | undefined;
    rules.forEach((rule, index) => {
      if (rule.method !== undefined && rule.method !== method) return;
      if (rule.operation !== undefined && rule.operation !== operation) return;
      if (rule.key !== undefined && !rule.key.test(key)) return;
      counts[index] = (counts[index] ?? 0) + 1;
      if (chosen === undefined && (rule.nth === undefined || rule.nth.includes(counts[index]!))) chosen = rule;
    });
    return chosen;
  };

  const forward = (incoming: IncomingMessage, onResponse: (response: IncomingMessage) => void, onError: () => void): void => {
    const outgoing = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, host: target.host },
      },
      onResponse,
    );
    outgoing.on('error', onError);
    incoming.pipe(outgoing);
  };

  const handle = (incoming: IncomingMessage, outgoing: ServerResponse): void => {
    const url = new URL(incoming.url ?? '/', 'http://proxy');
    const [, bucket = '', ...rest] = url.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    const method = incoming.method ?? 'GET';
    const operation = operationOf(method, url.searchParams, incoming.headers, key);
    const rule = ruleFor(method, operation, key);
    const fault = rule?.fault;
    log.push({ method, operation, bucket: decodeURIComponent(bucket), key, headers: incoming.headers, fault: fault?.kind });
    if (rule?.before === undefined) {
      apply(incoming, outgoing, fault);
      return;
    }
    incoming.pause();
    rule.before().then(
      () => apply(incoming, outgoing, fault),
      () => incoming.socket.destroy(),
    );
  };

  const apply = (incoming: IncomingMessage, outgoing: ServerResponse, fault: Fault | undefined): void => {
    const socket = incoming.socket;
    const fail = (): void => {
      socket.destroy();
    };
    if (fault?.kind === 'reset') {
      incoming.resume();
      socket.resetAndDestroy();
      return;
    }
    if (fault?.kind === 'status') {
      incoming.resume();
      incoming.once('end', () => {
        const body = errorDocument(fault.status);
        outgoing.writeHead(fault.status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
        outgoing.end(body);
      });
      return;
    }
    forward(
      incoming,
      (response) => {
        if (fault?.kind === 'lose-response') {
          response.resume();
          response.once('end', () => socket.destroy());
          return;
        }
        if (fault?.kind === 'short-body') {
          outgoing.writeHead(response.statusCode ?? 502, response.headers);
          let sent = 0;
          response.on('data', (chunk: Buffer) => {
            if (sent >= fault.bytes) return;
            const part = chunk.subarray(0, fault.bytes - sent);
            sent += part.byteLength;
            outgoing.write(part);
            if (sent >= fault.bytes) {
              response.destroy();
              // Let the bytes written reach the client, then cut the connection mid-body.
              setTimeout(() => (fault.reset === true ? socket.resetAndDestroy() : socket.destroy()), 20);
            }
          });
          response.once('end', () => {
            if (sent < fault.bytes) outgoing.end();
          });
          return;
        }
        const send = (): void => {
          outgoing.writeHead(response.statusCode ?? 502, response.headers);
          response.pipe(outgoing);
        };
        if (fault?.kind === 'delay') setTimeout(send, fault.ms);
        else send();
      },
      fail,
    );
  };

  const server: Server = createServer(handle);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    setRules(next) {
      rules = next;
      counts = [];
    },
    get log() {
      return log;
    },
    clearLog() {
      log.length = 0;
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
