import { describe, expect, it } from 'vitest';
import { ConfigurationErrorCode } from '../src/index.js';
import { issueAt, load, MINIMAL, refuse } from './support/load.js';

const LISTENER = 'static_resources.listeners[0](http)';
const HCM = `${LISTENER}.filter_chains[0].filters[0](hcm).typed_config`;

describe('loadConfiguration', () => {
  it('converts a minimal bootstrap into the model', async () => {
    const { bootstrap, warnings } = await load(MINIMAL);
    expect(warnings).toEqual([]);
    const listener = bootstrap.staticResources.listeners[0];
    expect(listener?.address).toEqual({ type: 'socket', host: '127.0.0.1', port: 8000, protocol: 'tcp', ipv4Compat: false });
    const hcm = listener?.filterChains[0]?.filters[0];
    expect(hcm?.type).toBe('httpConnectionManager');
    if (hcm?.type !== 'httpConnectionManager' || hcm.routeSpecifier.type !== 'inline') throw new Error('expected an inline HCM');
    expect(hcm.httpFilters).toEqual([{ type: 'router', name: 'router', suppressEnvoyHeaders: false }]);
    expect(hcm.routeSpecifier.routeConfiguration.virtualHosts[0]?.routes[0]?.action).toMatchObject({ type: 'forward', cluster: { type: 'cluster', name: 'backend' }, timeoutMs: 15_000 });
    const cluster = bootstrap.staticResources.clusters[0];
    expect(cluster).toMatchObject({ name: 'backend', connectTimeoutMs: 1000, lbPolicy: { type: 'roundRobin' }, healthyPanicThresholdPercent: 50, httpProtocol: { type: 'http1' } });
    expect(cluster?.discovery).toMatchObject({ type: 'static', loadAssignment: { clusterName: 'backend' } });
    expect(bootstrap.runtime).toEqual({ numRuntimes: 2, numCpus: 2 });
    expect(bootstrap.logging).toEqual({ level: 'info', components: {} });
  });

  it('fills Envoy\'s defaults into the connection manager and the route', async () => {
    const hcm = (await load(MINIMAL)).bootstrap.staticResources.listeners[0]?.filterChains[0]?.filters[0];
    expect(hcm).toEqual({
      type: 'httpConnectionManager',
      name: 'hcm',
      codecType: 'auto',
      statPrefix: 'ingress',
      routeSpecifier: expect.objectContaining({ type: 'inline' }),
      httpFilters: [{ type: 'router', name: 'router', suppressEnvoyHeaders: false }],
      accessLogs: [],
      requestTimeoutMs: 0,
      requestHeadersTimeoutMs: 0,
      streamIdleTimeoutMs: 300_000,
      drainTimeoutMs: 5000,
      commonHttpProtocolOptions: { idleTimeoutMs: 3_600_000, maxConnectionDurationMs: 0, maxHeadersCount: 100, maxStreamDurationMs: 0, maxRequestsPerConnection: 0 },
      http1ProtocolOptions: { allowAbsoluteUrl: true, acceptHttp10: false, defaultHostForHttp10: '' },
      http2ProtocolOptions: { hpackTableSize: 4096, maxConcurrentStreams: 2_147_483_647, initialStreamWindowSize: 268_435_456, initialConnectionWindowSize: 268_435_456 },
      useRemoteAddress: false,
      xffNumTrustedHops: 0,
      skipXffAppend: false,
      generateRequestId: true,
      preserveExternalRequestId: false,
      alwaysSetRequestIdInResponse: false,
      serverName: 'envoy',
      maxRequestHeadersKb: 60,
      upgradeConfigs: [],
      stripPortMode: 'none',
    });
    const table = hcm?.type === 'httpConnectionManager' && hcm.routeSpecifier.type === 'inline' ? hcm.routeSpecifier.routeConfiguration : undefined;
    expect(table).toMatchObject({ name: '', mostSpecificHeaderMutationsWins: false, ignorePortInHostMatching: false, validateClusters: true, maxDirectResponseBodySizeBytes: 4096 });
    expect(table?.virtualHosts[0]?.routes[0]).toEqual({
      name: '',
      match: { path: { type: 'prefix', prefix: '/' }, caseSensitive: true, headers: [], queryParameters: [], grpc: false },
      action: { type: 'forward', cluster: { type: 'cluster', name: 'backend' }, clusterNotFoundResponseCode: 503, appendXForwardedHost: false, timeoutMs: 15_000, hashPolicies: [], upgradeConfigs: [] },
      headerMutations: { requestHeadersToAdd: [], requestHeadersToRemove: [], responseHeadersToAdd: [], responseHeadersToRemove: [] },
    });
  });

  it('reads downstream HTTP/2 settings, provider-less tracing and the attempt-count flags of a virtual host', async () => {
    const text = MINIMAL.replace(
      '          stat_prefix: ingress\n',
      '          stat_prefix: ingress\n          codec_type: HTTP2\n          http2_protocol_options: { max_concurrent_streams: 7, initial_stream_window_size: 65536 }\n' +
        '          tracing: { random_sampling: { value: 25 }, verbose: true }\n',
    ).replace('              domains: ["*"]\n', '              domains: ["*"]\n              include_request_attempt_count: true\n              include_attempt_count_in_response: true\n');
    const { bootstrap, warnings, ignored } = await load(text);
    const hcm = bootstrap.staticResources.listeners[0]?.filterChains[0]?.filters[0];
    if (hcm?.type !== 'httpConnectionManager' || hcm.routeSpecifier.type !== 'inline') throw new Error('expected an inline HCM');
    expect(hcm.codecType).toBe('http2');
    expect(hcm.http2ProtocolOptions).toMatchObject({ maxConcurrentStreams: 7, initialStreamWindowSize: 65_536, initialConnectionWindowSize: 268_435_456 });
    expect(hcm.tracing).toEqual({ clientSamplingPercent: 100, randomSamplingPercent: 25, overallSamplingPercent: 100 });
    expect(hcm.routeSpecifier.routeConfiguration.virtualHosts[0]).toMatchObject({ includeRequestAttemptCount: true, includeAttemptCountInResponse: true });
    expect(warnings).toEqual([]);
    expect(ignored.map((w) => w.path)).toEqual([`${HCM}.tracing.verbose`]);
  });

  it('reads allow_absolute_url, accept_http_10 and default_host_for_http_10 (HTTP/1.0 refused by default) and refuses the other HTTP/1.1 options', async () => {
    const { bootstrap } = await load(MINIMAL);
    const plain = bootstrap.staticResources.listeners[0]?.filterChains[0]?.filters[0];
    if (plain?.type !== 'httpConnectionManager') throw new Error('expected an HCM');
    expect(plain.http1ProtocolOptions).toEqual({ allowAbsoluteUrl: true, acceptHttp10: false, defaultHostForHttp10: '' });
    const text = MINIMAL.replace('          stat_prefix: ingress\n', '          stat_prefix: ingress\n          http_protocol_options: { allow_absolute_url: false, accept_http_10: true, default_host_for_http_10: legacy.internal }\n');
    const hcm = (await load(text)).bootstrap.staticResources.listeners[0]?.filterChains[0]?.filters[0];
    if (hcm?.type !== 'httpConnectionManager') throw new Error('expected an HCM');
    expect(hcm.http1ProtocolOptions).toEqual({ allowAbsoluteUrl: false, acceptHttp10: true, defaultHostForHttp10: 'legacy.internal' });
    const { issues } = await refuse(MINIMAL.replace('          stat_prefix: ingress\n', '          stat_prefix: ingress\n          http_protocol_options: { enable_trailers: true }\n'));
    expect(issueAt(issues, `${HCM}.http_protocol_options.enable_trailers`).message).toMatch(/not implemented/);
  });

  it('reads common_lb_config.healthy_panic_threshold (Istio sets 0 to turn panic mode off) and refuses its other fields', async () => {
    const panicOff = await load(MINIMAL.replace('connect_timeout: 1s', 'connect_timeout: 1s\n    common_lb_config: { healthy_panic_threshold: { value: 0 } }'));
    expect(panicOff.bootstrap.staticResources.clusters[0]?.healthyPanicThresholdPercent).toBe(0);
    const { issues } = await refuse(MINIMAL.replace('connect_timeout: 1s', 'connect_timeout: 1s\n    common_lb_config: { locality_weighted_lb_config: {} }'));
    expect(issues.some((i) => i.path.endsWith('common_lb_config.locality_weighted_lb_config') && /not implemented/.test(i.message))).toBe(true);
  });

  it('refuses a tracing provider', async () => {
    const text = MINIMAL.replace(
      '          stat_prefix: ingress\n',
      '          stat_prefix: ingress\n          tracing:\n            provider: { name: envoy.tracers.zipkin, typed_config: { "@type": type.googleapis.com/envoy.config.trace.v3.ZipkinConfig, collector_cluster: backend, collector_endpoint: /api/v2/spans } }\n',
    );
    const { issues } = await refuse(text);
    expect(issueAt(issues, `${HCM}.tracing.provider`).message).toMatch(/not implemented/);
  });

  it('refuses malformed domains', async () => {
    const { issues } = await refuse(MINIMAL.replace('domains: ["*"]', 'domains: ["a*b.com"]'));
    expect(issueAt(issues, `${HCM}.route_config.virtual_hosts[0](all).domains[0]`)).toMatchObject({ message: 'domain "a*b.com" may have one wildcard, at its start or end', location: { line: 14 } });
  });

  it('produces plain data that survives a JSON round trip unchanged', async () => {
    const { bootstrap } = await load(MINIMAL);
    expect(JSON.parse(JSON.stringify(bootstrap))).toEqual(bootstrap);
  });

  it('reports an unknown field with its path, line and a suggestion', async () => {
    const { error, issues } = await refuse(MINIMAL.replace('connect_timeout: 1s', 'conect_timeout: 1s'));
    expect(error.code).toBe(ConfigurationErrorCode.INVALID);
    const issue = issueAt(issues, 'static_resources.clusters[0](backend).conect_timeout');
    expect(issue.message).toBe('unknown field (did you mean "connect_timeout"?) in envoy.config.cluster.v3.Cluster');
    expect(issue.location).toEqual({ line: 24, column: 5 });
    expect(error.message).toBe('test.yaml:24:5: static_resources.clusters[0](backend).conect_timeout: unknown field (did you mean "connect_timeout"?) in envoy.config.cluster.v3.Cluster');
  });

  it('reports a wrong type and a bad duration with path and line', async () => {
    const { issues } = await refuse(MINIMAL.replace('port_value: 8000', 'port_value: eighty').replace('connect_timeout: 1s', 'connect_timeout: 1m'));
    expect(issueAt(issues, `${LISTENER}.address.socket_address.port_value`)).toMatchObject({ message: 'expected an integer, got the string "eighty"', location: { line: 4 } });
    expect(issueAt(issues, 'static_resources.clusters[0](backend).connect_timeout').location?.line).toBe(24);
  });

  it('reports an out-of-range value with path and line', async () => {
    const { issues } = await refuse(MINIMAL.replace('port_value: 8000', 'port_value: 70000'));
    expect(issueAt(issues, `${LISTENER}.address.socket_address.port_value`)).toMatchObject({ message: 'value 70000 is out of range: must be at most 65535', location: { line: 4 } });
  });

  it('reports an unimplemented HTTP filter by its type URL, at the filter', async () => {
    const lua = MINIMAL.replace(
      '          http_filters:\n',
      '          http_filters:\n          - name: envoy.filters.http.lua\n            typed_config:\n              "@type": type.googleapis.com/envoy.extensions.filters.http.lua.v3.Lua\n',
    );
    const { error, issues } = await refuse(lua);
    const issue = issueAt(issues, `${HCM}.http_filters[0](envoy.filters.http.lua)`);
    expect(issue).toMatchObject({ message: 'HTTP filter envoy.extensions.filters.http.lua.v3.Lua is not implemented', location: { line: 19 } });
    expect(error.message).toContain(`test.yaml:19:13: ${HCM}.http_filters[0](envoy.filters.http.lua): HTTP filter envoy.extensions.filters.http.lua.v3.Lua is not implemented`);
  });

  it('skips an optional unimplemented HTTP filter and a disabled one with warnings', async () => {
    const text = MINIMAL.replace(
      '          http_filters:\n',
      '          http_filters:\n          - name: lua\n            is_optional: true\n            typed_config:\n              "@type": type.googleapis.com/envoy.extensions.filters.http.lua.v3.Lua\n' +
        '          - name: cors\n            disabled: true\n            typed_config:\n              "@type": type.googleapis.com/envoy.extensions.filters.http.cors.v3.Cors\n',
    );
    const { bootstrap, warnings } = await load(text);
    expect(warnings.map((w) => w.message)).toEqual([
      'optional HTTP filter envoy.extensions.filters.http.lua.v3.Lua is not implemented and left out',
      'HTTP filter envoy.extensions.filters.http.cors.v3.Cors is disabled and left out',
    ]);
    const hcm = bootstrap.staticResources.listeners[0]?.filterChains[0]?.filters[0];
    expect(hcm?.type === 'httpConnectionManager' ? hcm.httpFilters.map((f) => f.type) : []).toEqual(['router']);
  });

  it('rejects an unimplemented field set to a non-default value, and accepts it at its default', async () => {
    const { issues } = await refuse(MINIMAL.replace('    connect_timeout: 1s\n', '    connect_timeout: 1s\n    outlier_detection: { consecutive_5xx: 3 }\n'));
    expect(issueAt(issues, 'static_resources.clusters[0](backend).outlier_detection')).toMatchObject({
      message: 'envoy.config.cluster.v3.Cluster.outlier_detection is not implemented',
      location: { line: 25 },
    });
    await expect(load(MINIMAL.replace('    connect_timeout: 1s\n', '    connect_timeout: 1s\n    respect_dns_ttl: false\n    close_connections_on_host_health_failure: false\n'))).resolves.toBeDefined();
  });

  it('reports a route naming an unknown cluster', async () => {
    const { issues } = await refuse(MINIMAL.replace('route: { cluster: backend }', 'route: { cluster: backnd }'));
    expect(issueAt(issues, `${HCM}.route_config.virtual_hosts[0](all).routes[0].route.cluster`)).toMatchObject({ message: 'unknown cluster "backnd"', location: { line: 17 } });
  });

  it('accepts an unknown cluster when the table does not validate clusters', async () => {
    const text = MINIMAL.replace('route: { cluster: backend }', 'route: { cluster: from_cds }').replace('            virtual_hosts:', '            validate_clusters: false\n            virtual_hosts:');
    await expect(load(text)).resolves.toBeDefined();
  });

  it('reports duplicate cluster and listener names, and two listeners on one address', async () => {
    const cluster = MINIMAL.slice(MINIMAL.indexOf('  - name: backend'));
    const listener = MINIMAL.slice(MINIMAL.indexOf('  - name: http'), MINIMAL.indexOf('  clusters:'));
    const text = MINIMAL.replace('  clusters:\n', `${listener}  clusters:\n`) + cluster;
    const { issues } = await refuse(text);
    expect(issueAt(issues, 'static_resources.clusters[1](backend).name')).toMatchObject({ message: 'duplicate cluster name "backend"', location: { line: 48 } });
    expect(issueAt(issues, 'static_resources.listeners[1](http).name')).toMatchObject({ message: 'duplicate listener name "http"', location: { line: 22 } });
    expect(issueAt(issues, 'static_resources.listeners[1](http).address').message).toBe('listener "http" uses the same address as listener "http"');
  });

  it('reports a domain claimed by two virtual hosts', async () => {
    const text = MINIMAL.replace('              domains: ["*"]\n', '              domains: ["*"]\n              routes: []\n            - name: again\n              domains: ["example.com", "*"]\n');
    const { issues } = await refuse(text);
    expect(issueAt(issues, `${HCM}.route_config.virtual_hosts[1](again).domains[1]`)).toMatchObject({ message: 'domain "*" is already used by virtual host "all"', location: { line: 17 } });
  });

  it('reports two filter chains with identical matches', async () => {
    const chain = MINIMAL.slice(MINIMAL.indexOf('    - filters:'), MINIMAL.indexOf('  clusters:'));
    const { issues } = await refuse(MINIMAL.replace('  clusters:\n', `${chain}  clusters:\n`));
    expect(issueAt(issues, `${LISTENER}.filter_chains[1].filter_chain_match`).message).toBe('this filter chain has the same match as filter_chains[0]');
  });

  it('lists every error at once, sorted by line', async () => {
    const { error, issues } = await refuse(MINIMAL.replace('stat_prefix: ingress', 'stat_prefix: ""').replace('route: { cluster: backend }', 'route: { cluster: nope }').replace('connect_timeout: 1s', 'connect_timeout: -1s'));
    expect(issues.map((i) => i.location?.line)).toEqual([10, 17, 24]);
    expect(error.message.split('\n')[0]).toBe('3 errors in test.yaml:');
  });

  it('reports a syntax error with its line', async () => {
    const { error, issues } = await refuse('static_resources:\n  listeners: [\n');
    expect(error.code).toBe(ConfigurationErrorCode.INVALID);
    expect(issues[0]?.location?.line).toBeGreaterThan(1);
    expect(issues[0]?.message).toMatch(/^invalid YAML/);
  });

  it('refuses Orion\'s Rust-native schema with one error naming its first native key', async () => {
    const { error, issues } = await refuse('runtime:\n  num_cpus: 1\nbootstrap:\n  static_resources: {}\n');
    expect(error.code).toBe(ConfigurationErrorCode.NATIVE_SCHEMA);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: 'bootstrap', location: { line: 3, column: 1 } });
  });

  it('reads Orion\'s wrapper file, with paths under envoy_bootstrap', async () => {
    const wrapped = `runtime:\n  num_cpus: 4\n  num_runtimes: 3\nlogging:\n  log_level: "warn,orion_xds=debug,ext_proc=trace"\n  log_directory: logs\n  log_file: orion.log\nenvoy_bootstrap:\n${MINIMAL.replace(/^/gm, '  ')}`;
    const { bootstrap } = await load(wrapped);
    expect(bootstrap.runtime).toEqual({ numRuntimes: 3, numCpus: 4 });
    expect(bootstrap.logging).toEqual({ level: 'warn', components: { xds: 'debug', ext_proc: 'trace' }, file: 'logs/orion.log' });
    const { issues } = await refuse(wrapped.replace('connect_timeout: 1s', 'connect_timeout: 1m'));
    expect(issueAt(issues, 'envoy_bootstrap.static_resources.clusters[0](backend).connect_timeout').location?.line).toBe(32);
  });

  it('reports an unknown key of the wrapper and of runtime with suggestions', async () => {
    const { issues } = await refuse('runtime:\n  num_runtime: 2\nloging: {}\n');
    expect(issueAt(issues, 'runtime.num_runtime')).toMatchObject({ message: 'unknown field (did you mean "num_runtimes"?) in runtime', location: { line: 2 } });
    expect(issueAt(issues, 'loging')).toMatchObject({ message: 'unknown field (did you mean "logging"?) in Orion\'s configuration file', location: { line: 3 } });
  });

  it('warns once about the Tokio knobs of runtime', async () => {
    const { warnings } = await load('runtime:\n  event_interval: 31\n  num_service_threads: 2\n  global_queue_interval: null\n');
    expect(warnings.map((w) => w.message)).toEqual(['event_interval, num_service_threads: Tokio scheduler settings have no meaning for Orion\'s Node.js workers and are ignored']);
  });

  it('resolves the worker count: --concurrency > ORION_GATEWAY_RUNTIMES > num_runtimes > the CPU count', async () => {
    const file = 'runtime:\n  num_cpus: 4\n  num_runtimes: 3\n';
    expect((await load(file)).bootstrap.runtime.numRuntimes).toBe(3);
    expect((await load(file, { env: { ORION_GATEWAY_RUNTIMES: '5' } })).bootstrap.runtime.numRuntimes).toBe(5);
    expect((await load(file, { env: { ORION_GATEWAY_RUNTIMES: '5' }, cli: { concurrency: 7 } })).bootstrap.runtime.numRuntimes).toBe(7);
    expect((await load('{}', { availableParallelism: 6 })).bootstrap.runtime).toEqual({ numRuntimes: 6, numCpus: 6 });
    expect((await load(file, { env: { ORION_CPU_LIMIT: '2', ORION_GATEWAY_CORES: '8' } })).bootstrap.runtime.numCpus).toBe(2);
    expect((await load('{}', { env: { ORION_GATEWAY_CORES: '8' } })).bootstrap.runtime).toEqual({ numRuntimes: 8, numCpus: 8 });
    const { issues } = await refuse('{}', { env: { ORION_GATEWAY_RUNTIMES: 'many' } });
    expect(issues[0]?.message).toBe('environment variable ORION_GATEWAY_RUNTIMES="many" is not a positive integer');
  });

  it('reads the affinity strategies', async () => {
    expect((await load('runtime:\n  affinity_strategy: auto\n')).bootstrap.runtime.affinityStrategy).toEqual({ type: 'auto' });
    expect((await load('runtime:\n  num_runtimes: 2\n  affinity_strategy:\n    runtimes: [[0], [1, 2]]\n')).bootstrap.runtime.affinityStrategy).toEqual({ type: 'runtimes', runtimes: [[0], [1, 2]] });
    expect((await load('runtime:\n  affinity_strategy:\n    nodes: [[0, 1], [2, 3]]\n')).bootstrap.runtime.affinityStrategy).toEqual({ type: 'nodes', nodes: [[0, 1], [2, 3]] });
    const { issues } = await refuse('runtime:\n  affinity_strategy: everywhere\n');
    expect(issueAt(issues, 'runtime.affinity_strategy').location?.line).toBe(2);
  });

  it('rejects a bad log level at logging.log_level', async () => {
    const { issues } = await refuse('logging:\n  log_level: "info,orion_xds=loud"\n');
    expect(issueAt(issues, 'logging.log_level')).toMatchObject({ message: 'invalid log level "orion_xds=loud" (expected trace, debug, info, warn, error or off, or component=level)', location: { line: 2 } });
  });

  it('fills node.id and node.cluster from POD_NAME/POD_NAMESPACE, and lets --service-node win', async () => {
    const env = { POD_NAME: 'pod-1', POD_NAMESPACE: 'ns' };
    expect((await load('{}', { env })).bootstrap.node).toMatchObject({ id: 'pod-1', cluster: 'ns' });
    expect((await load('node: { id: given }', { env })).bootstrap.node).toMatchObject({ id: 'given', cluster: 'ns' });
    expect((await load('node: { id: given }', { env, cli: { serviceNode: 'cli', serviceCluster: 'c' } })).bootstrap.node).toMatchObject({ id: 'cli', cluster: 'c' });
  });

  it('merges --config-yaml over the file as Envoy does (lists append, scalars replace)', async () => {
    const overlay = 'static_resources:\n  clusters:\n  - name: extra\n    connect_timeout: 2s\n    load_assignment: { endpoints: [] }\nstats_flush_interval: 10s\n';
    const { bootstrap } = await load(MINIMAL, { configYaml: overlay });
    expect(bootstrap.staticResources.clusters.map((c) => c.name)).toEqual(['backend', 'extra']);
    expect(bootstrap.statsFlushIntervalMs).toBe(10_000);
    const { issues } = await refuse(MINIMAL, { configYaml: 'static_resources:\n  clusters:\n  - name: extra\n    connect_timeout: 2m\n' });
    expect(issueAt(issues, 'static_resources.clusters[0](extra).connect_timeout')).toMatchObject({ file: '--config-yaml', location: { line: 4 } });
    const merged = await refuse(MINIMAL, { configYaml: 'static_resources:\n  clusters:\n  - name: backend\n    connect_timeout: 2s\n' });
    expect(merged.issues).toEqual([
      { path: 'static_resources.clusters[0](backend).name', message: 'duplicate cluster name "backend"', file: '--config-yaml', location: { line: 3, column: 5 } },
    ]);
    const scalar = await refuse(MINIMAL, { configYaml: 'static_resources:\n  clusters:\n  - name: other\n    connect_timeout: 0s\n' });
    expect(scalar.issues[0]).toMatchObject({ path: 'static_resources.clusters[0](other).connect_timeout', file: '--config-yaml', location: { line: 4 } });
  });

  it('turns unknown fields into warnings with allowUnknownStaticFields', async () => {
    const text = MINIMAL.replace('connect_timeout: 1s', 'connect_timeout: 1s\n    future_field: 1');
    const { warnings } = await load(text, { cli: { allowUnknownStaticFields: true } });
    expect(warnings[0]).toMatchObject({ path: 'static_resources.clusters[0](backend).future_field', location: { line: 25 } });
  });

  it('reports a file data source that does not exist, naming it', async () => {
    const { issues } = await refuse('static_resources:\n  secrets:\n  - name: ca\n    validation_context:\n      trusted_ca: { filename: ./no/such/ca.pem }\n');
    expect(issueAt(issues, 'static_resources.secrets[0](ca).validation_context.trusted_ca.filename')).toMatchObject({ message: 'file "./no/such/ca.pem" does not exist', location: { line: 5 } });
  });

  it('reads a message field written with no value as an empty message', async () => {
    const text = MINIMAL.replace(
      '    connect_timeout: 1s\n',
      '    connect_timeout: 1s\n    typed_extension_protocol_options:\n      envoy.extensions.upstreams.http.v3.HttpProtocolOptions:\n        "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions\n        explicit_http_config:\n          http2_protocol_options:\n',
    );
    expect((await load(text)).bootstrap.staticResources.clusters[0]?.httpProtocol.type).toBe('http2');
  });

  it('reads a TypedStruct whose type_url names an implemented extension', async () => {
    const text = MINIMAL.replace(
      '              "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router',
      '              "@type": type.googleapis.com/udpa.type.v1.TypedStruct\n              type_url: type.googleapis.com/envoy.extensions.filters.http.router.v3.Router\n              value: { suppress_envoy_headers: true }',
    );
    const hcm = (await load(text)).bootstrap.staticResources.listeners[0]?.filterChains[0]?.filters[0];
    expect(hcm?.type === 'httpConnectionManager' ? hcm.httpFilters[0]?.suppressEnvoyHeaders : undefined).toBe(true);
  });

  it('checks access-log formats with @orion/format', async () => {
    const text = MINIMAL.replace(
      '          stat_prefix: ingress\n',
      '          stat_prefix: ingress\n          access_log:\n          - name: out\n            typed_config:\n              "@type": type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StdoutAccessLog\n              log_format: { json_format: { status: "%RESPONSE_CODE%", bad: "%NOT_A_COMMAND%" } }\n',
    );
    const { issues } = await refuse(text);
    expect(issueAt(issues, `${HCM}.access_log[0](out).typed_config.log_format.json_format.bad`).location?.line).toBe(15);
  });

  it('requires static EDS clusters to name their source, and ADS to be configured when they use it', async () => {
    const eds = 'static_resources:\n  clusters:\n  - name: e\n    type: EDS\n';
    expect(issueAt((await refuse(eds)).issues, 'static_resources.clusters[0](e).eds_cluster_config')).toMatchObject({ message: 'an EDS cluster needs eds_cluster_config.eds_config', location: { line: 3 } });
    const viaAds = `${eds}    eds_cluster_config: { eds_config: { ads: {} } }\n`;
    expect(issueAt((await refuse(viaAds)).issues, 'static_resources.clusters[0](e).eds_cluster_config.eds_config').message).toBe('uses ads, but dynamic_resources.ads_config is not set');
    const ads = 'dynamic_resources:\n  ads_config: { api_type: DELTA_GRPC, grpc_services: [{ envoy_grpc: { cluster_name: e } }] }\n';
    const { bootstrap } = await load(`${viaAds}${ads}`);
    expect(bootstrap.dynamicResources?.ads).toEqual({ transport: 'delta', grpcServices: [{ clusterName: 'e', authority: 'e', timeoutMs: 0, initialMetadata: [] }], setNodeOnFirstMessageOnly: false });
  });

  it('requires a configuration', async () => {
    await expect(load(undefined as unknown as string)).rejects.toMatchObject({ code: ConfigurationErrorCode.OPTIONS });
  });
});
