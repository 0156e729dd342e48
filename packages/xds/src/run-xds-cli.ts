import { readFile } from 'node:fs/promises';
import type { Registry } from '@bufbuild/protobuf';
import { parseArgs } from 'node:util';
import { loadBootstrap, typeRegistry } from '@orion/data-plane-api';
import { messageFiles } from '@orion/data-plane-api/gen/manifest.js';
import { OrionError, printError } from '@orion/error';
import { DiscoveryClientBuilder } from './discovery-client-builder.js';
import { ORION_ERR_XDS_CLI_USAGE, ORION_ERR_XDS_INVALID_ARGUMENT } from './error-codes.js';
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  CLUSTER_TYPE_URL,
  LISTENER_TYPE_URL,
  ROUTE_CONFIGURATION_TYPE_URL,
  SECRET_TYPE_URL,
} from './type-urls.js';
import { watch, type CliOutput } from './watch-command.js';

/** The usage text of `orion-xds`. */
export const XDS_CLI_USAGE = `Usage: orion-xds watch --server <host:port|unix:path> --node-id <id> [options]
       orion-xds watch --bootstrap <envoy-bootstrap.yaml> [options]

Subscribes to an ADS server and prints resources and versions as they change.

Options:
  --server <address>         ADS server: host:port (h2c) or unix:<socket path>
  --node-id <id>             node.id sent to the server
  --node-cluster <cluster>   node.cluster (default: none)
  --bootstrap <file>         take server, protocol and node from an Envoy bootstrap's dynamic_resources
  --delta                    incremental xDS (DeltaAggregatedResources); default: state of the world
  --sotw                     state of the world (StreamAggregatedResources), overriding a bootstrap
  --resource <type>=<name>   also subscribe to a name; type is lds, rds, cds, eds or sds (repeatable)
  --no-follow                do not subscribe to the RDS/EDS names listeners and clusters reference
  --json                     print each update as a JSON line with the whole resource
  --initial-fetch-timeout-ms <ms>  report names that do not arrive in time (default 15000, 0 = off)
  -h, --help                 print this help
`;

/** Where `runXdsCli` reads and writes, and what stops it. */
export interface XdsCliIo {
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
  /** Stops `watch` (the binary aborts it on SIGINT/SIGTERM). */
  readonly signal?: AbortSignal;
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  lds: LISTENER_TYPE_URL,
  rds: ROUTE_CONFIGURATION_TYPE_URL,
  cds: CLUSTER_TYPE_URL,
  eds: CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  sds: SECRET_TYPE_URL,
};

/**
 * The `orion-xds` command line: `watch` subscribes and prints changes until `io.signal` aborts. Returns
 * the exit code: 0 after a clean stop, 2 for a usage error (`ORION_ERR_XDS_CLI_USAGE`,
 * `ORION_ERR_XDS_INVALID_ARGUMENT`), 1 otherwise.
 */
export async function runXdsCli(argv: readonly string[], io: XdsCliIo): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        server: { type: 'string' },
        'node-id': { type: 'string' },
        'node-cluster': { type: 'string' },
        bootstrap: { type: 'string' },
        delta: { type: 'boolean' },
        sotw: { type: 'boolean' },
        resource: { type: 'string', multiple: true },
        'no-follow': { type: 'boolean' },
        json: { type: 'boolean' },
        'initial-fetch-timeout-ms': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help === true) {
      io.stdout.write(XDS_CLI_USAGE);
      return 0;
    }
    if (positionals.length !== 1 || positionals[0] !== 'watch') throw usage(`expected the command "watch", got ${JSON.stringify(positionals.join(' '))}`);
    if (values.delta === true && values.sotw === true) throw usage('--delta and --sotw exclude each other');

    let builder: DiscoveryClientBuilder;
    if (values.bootstrap !== undefined) {
      const text = await readFile(values.bootstrap, 'utf8');
      const loaded = await loadBootstrap(text, { path: values.bootstrap });
      builder = DiscoveryClientBuilder.fromBootstrap(loaded.message);
      if (values.server !== undefined) builder.target(values.server);
    } else {
      if (values.server === undefined) throw usage('--server is required (or --bootstrap)');
      if (values['node-id'] === undefined) throw usage('--node-id is required (or --bootstrap)');
      builder = new DiscoveryClientBuilder().target(values.server).protocol('sotw');
    }
    if (values['node-id'] !== undefined) {
      builder.node({ id: values['node-id'], ...(values['node-cluster'] === undefined ? {} : { cluster: values['node-cluster'] }) });
    }
    if (values.delta === true) builder.protocol('delta');
    if (values.sotw === true) builder.protocol('sotw');
    const timeout = values['initial-fetch-timeout-ms'];
    if (timeout !== undefined) {
      const ms = Number(timeout);
      if (!Number.isInteger(ms) || ms < 0) throw usage(`--initial-fetch-timeout-ms must be a non-negative integer, got "${timeout}"`);
      builder.initialFetchTimeoutMs(ms);
    }
    const names: Record<string, string[]> = {};
    for (const spec of values.resource ?? []) {
      const match = /^(lds|rds|cds|eds|sds)=(.+)$/.exec(spec);
      const typeUrl = match?.[1] === undefined ? undefined : TYPE_NAMES[match[1]];
      if (typeUrl === undefined || match?.[2] === undefined) throw usage(`--resource expects <lds|rds|cds|eds|sds>=<name>, got "${spec}"`);
      (names[typeUrl] ??= []).push(match[2]);
    }
    builder.options(); // fail on a missing target or node before connecting
    let registry: Registry | undefined;
    if (values.json === true) {
      await typeRegistry.load(Object.keys(messageFiles));
      registry = typeRegistry.registry;
    }
    await watch({
      builder,
      names,
      follow: values['no-follow'] !== true,
      registry,
      stdout: io.stdout,
      stderr: io.stderr,
      ...(io.signal === undefined ? {} : { signal: io.signal }),
    });
    return 0;
  } catch (err) {
    const usageError =
      OrionError.is(err, ORION_ERR_XDS_CLI_USAGE) ||
      OrionError.is(err, ORION_ERR_XDS_INVALID_ARGUMENT) ||
      (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'));
    io.stderr.write(`orion-xds: ${printError(err)}\n`);
    if (usageError) {
      io.stderr.write(`\n${XDS_CLI_USAGE}`);
      return 2;
    }
    return 1;
  }
}

function usage(message: string): OrionError {
  return new OrionError(ORION_ERR_XDS_CLI_USAGE, message);
}
