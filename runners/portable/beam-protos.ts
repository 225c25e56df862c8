/**
 * @module portable/beam-protos
 * Beam's portability protocol definitions (Runner API, Job API, Fn API), loaded at run time from the .proto
 * files inside Beam's released model jars (fetched by `scripts/fetch-beam.sh` into `.cache/beam/`), so no
 * Beam source is copied into this repository. Messages are plain objects with snake_case field names,
 * int64 as numbers, enums as names and bytes as Buffers.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import { packageRoot } from './package-root.js';

/** The Beam release whose model protos (and Flink job server) the runner uses by default. */
export const DEFAULT_BEAM_VERSION = '2.62.0';

/** Where `fetch-beam.sh` caches jars and extracted protos: `<package root>/.cache/beam` (override with `LOGBEAM_BEAM_CACHE`). */
export function beamCacheDir(): string {
  return process.env['LOGBEAM_BEAM_CACHE'] ?? join(packageRoot(), '.cache', 'beam');
}

/** The set-up script beside this module (copied into `dist/` by the build), with its absolute path. */
export const FETCH_BEAM_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'scripts', 'fetch-beam.sh');

/** The shell command that fetches the protos into `beamCacheDir()` (the script honours `LOGBEAM_BEAM_CACHE` too). */
export function fetchBeamCommand(): string {
  const cache = process.env['LOGBEAM_BEAM_CACHE'];
  return `${cache === undefined ? '' : `LOGBEAM_BEAM_CACHE=${cache} `}bash ${FETCH_BEAM_SCRIPT}`;
}

/** Thrown when the model protos have not been fetched; the message is the command that fetches them. */
export class BeamProtosMissingError extends Error {
  constructor(readonly directory: string) {
    super(
      `Beam's model protos are not in ${directory}: run \`${fetchBeamCommand()}\` once (needs Java 17 and Maven; SKIP_JOB_SERVER=1 in front fetches only the protos, enough for Prism or a remote job server)`,
    );
    this.name = 'BeamProtosMissingError';
  }
}

const CONVERSION: protobuf.IConversionOptions = { longs: Number, enums: String, bytes: Buffer, defaults: true, oneofs: true };

/** The loaded protocol: message types by short or full name, and gRPC service definitions. */
export class BeamProtos {
  private readonly types = new Map<string, protobuf.Type>();

  constructor(readonly root: protobuf.Root) {}

  /** A message type by full name (`org.apache.beam.model.pipeline.v1.Pipeline`) or a unique short path (`pipeline.v1.Pipeline`). */
  type(name: string): protobuf.Type {
    let type = this.types.get(name);
    if (type === undefined) {
      type = this.root.lookupType(name.startsWith('org.') || name.startsWith('google.') ? name : `org.apache.beam.model.${name}`);
      this.types.set(name, type);
    }
    return type;
  }

  /** Encodes a plain object (snake_case fields) as the named message. */
  encode(name: string, value: Record<string, unknown>): Buffer {
    const type = this.type(name);
    return Buffer.from(type.encode(type.fromObject(value)).finish());
  }

  /** Decodes bytes of the named message into a plain object. */
  decode<T = Record<string, unknown>>(name: string, bytes: Uint8Array): T {
    const type = this.type(name);
    return type.toObject(type.decode(bytes), CONVERSION) as T;
  }

  /** A gRPC service definition (for clients and servers) by full name. */
  service(name: string): grpc.ServiceDefinition {
    const service = this.root.lookupService(`org.apache.beam.model.${name}`);
    const definition: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
    for (const method of Object.values(service.methods)) {
      method.resolve();
      const requestType = method.resolvedRequestType!;
      const responseType = method.resolvedResponseType!;
      definition[method.name] = {
        path: `/${service.fullName.slice(1)}/${method.name}`,
        requestStream: method.requestStream === true,
        responseStream: method.responseStream === true,
        requestSerialize: (value: Record<string, unknown>) => Buffer.from(requestType.encode(requestType.fromObject(value)).finish()),
        requestDeserialize: (bytes: Buffer) => requestType.toObject(requestType.decode(bytes), CONVERSION),
        responseSerialize: (value: Record<string, unknown>) => Buffer.from(responseType.encode(responseType.fromObject(value)).finish()),
        responseDeserialize: (bytes: Buffer) => responseType.toObject(responseType.decode(bytes), CONVERSION),
        originalName: method.name,
      } as grpc.MethodDefinition<unknown, unknown>;
    }
    return definition;
  }

  /** A client constructor for a service. */
  client(name: string): grpc.ServiceClientConstructor {
    return grpc.makeGenericClientConstructor(this.service(name), name);
  }
}

const PROTOBUF_DESCRIPTOR = createRequire(import.meta.url).resolve('protobufjs/google/protobuf/descriptor.proto');

let cached: BeamProtos | undefined;

/** Loads (once) the protos of `version` from the cache. */
export function loadBeamProtos(version = process.env['LOGBEAM_BEAM_VERSION'] ?? DEFAULT_BEAM_VERSION): BeamProtos {
  if (cached !== undefined) return cached;
  const directory = join(beamCacheDir(), `proto-${version}`);
  if (!existsSync(join(directory, '.done'))) throw new BeamProtosMissingError(directory);
  const root = new protobuf.Root();
  root.loadSync(PROTOBUF_DESCRIPTOR, { keepCase: true });
  // Well-known types bundled with protobufjs.
  for (const name of ['duration', 'struct', 'timestamp']) root.addJSON(protobuf.common.get(`google/protobuf/${name}.proto`)!.nested!);
  const files: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(folder, entry.name));
      else if (entry.name.endsWith('.proto')) files.push(join(folder, entry.name));
    }
  };
  walk(directory);
  for (const file of files) protobuf.parse(stripAggregateOptions(readFileSync(file, 'utf8')), root, { keepCase: true });
  root.resolveAll();
  cached = new BeamProtos(root);
  return cached;
}

/**
 * Removes field and enum-value options written as aggregates (`[(monitoring_info_spec) = { ... }]`), which
 * protobufjs cannot parse; they only document metric URNs and do not change the wire format.
 */
function stripAggregateOptions(text: string): string {
  let out = '';
  let index = 0;
  for (;;) {
    const open = text.indexOf('[(', index);
    if (open < 0) return out + text.slice(index);
    let depth = 0;
    let end = open;
    for (; end < text.length; end++) {
      const char = text[end];
      if (char === '[' || char === '{') depth++;
      else if (char === ']' || char === '}') depth--;
      if (depth === 0) break;
    }
    const option = text.slice(open, end + 1);
    out += text.slice(index, open) + (option.includes('{') ? '' : option);
    index = end + 1;
  }
}

/** gRPC channel options that lift the default 4 MiB message limit (large elements, big bundles). */
export const GRPC_OPTIONS: grpc.ChannelOptions = {
  'grpc.max_receive_message_length': -1,
  'grpc.max_send_message_length': -1,
  'grpc.keepalive_time_ms': 60_000,
};
