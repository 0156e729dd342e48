import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ORION_VERSION, runCli } from '../src/index.js';
import { corpusDirectory } from './support/corpus.js';

async function run(...argv: string[]): Promise<{ readonly code: number; readonly stdout: string; readonly stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env: {} });
  return { code, stdout, stderr };
}

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const corpus = (name: string): string => join(corpusDirectory(), name);

describe('orion --mode validate', () => {
  it('says OK and exits 0 on the meow demo', async () => {
    const file = corpus('orion-proxy__conf__orion-runtime.yaml');
    const result = await run('--mode', 'validate', '-c', file);
    expect(result).toMatchObject({ code: 0, stdout: `configuration '${file}' OK\n` });
    expect(result.stderr).toMatch(/^warning: .*Tokio scheduler settings/);
  });

  it('accepts Istio\'s bootstrap with the flags pilot-agent passes', async () => {
    const file = corpus('orion-proxy__conf__envoy-rev.json');
    const result = await run('-c', file, '--mode=validate', '--drain-time-s', '45', '--parent-shutdown-time-s', '60', '--local-address-ip-version', 'v4', '--file-flush-interval-msec', '1000',
      '--disable-hot-restart', '--allow-unknown-static-fields', '--log-format', '%Y-%m-%dT%T.%fZ\t%l\tenvoy %n %g:%#\t%v\tthread=%t', '-l', 'warning', '--component-log-level', 'misc:error', '--concurrency', '2');
    expect(result).toMatchObject({ code: 0, stdout: `configuration '${file}' OK\n`, stderr: '' });
  });

  it('prints every error, with path and line, and exits 1', async () => {
    const file = fixture('refused.yaml');
    const result = await run('--mode', 'validate', '--config-path', file);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')).toEqual([
      `3 errors in ${file}:`,
      `  ${file}:17:26: static_resources.listeners[0](listener_http).filter_chains[0].filters[0](hcm).typed_config.route_config.virtual_hosts[0](all).routes[0].route.cluster: unknown cluster "missing"`,
      `  ${file}:19:13: static_resources.listeners[0](listener_http).filter_chains[0].filters[0](hcm).typed_config.http_filters[0](envoy.filters.http.lua): HTTP filter envoy.extensions.filters.http.lua.v3.Lua is not implemented`,
      `  ${file}:27:5: static_resources.clusters[0](backend).conect_timeout: unknown field (did you mean "connect_timeout"?) in envoy.config.cluster.v3.Cluster`,
      '',
    ]);
  });

  it('refuses the corpus files that need certificates, naming the missing file', async () => {
    const result = await run('--mode', 'validate', '-c', corpus('orion-proxy__conf__bootstrap-with-keys.yaml'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('static_resources.secrets[0](tls-validity-checks-certificate_gateway-conformance-infra).tls_certificate.certificate_chain.filename: file "./test_certs/dummy.cert.pem" does not exist');
  });

  it('refuses Orion\'s Rust-native schema with one error', async () => {
    const file = corpus('orion-configuration__ng.yaml');
    const result = await run('--mode', 'validate', '-c', file);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`${file}:9:7: static_resources.listeners[0](listener-1).filter_chains[0](filter_chain_http).terminal_filter: Orion's Rust-native configuration schema is not supported`);
  });

  it('validates --config-yaml alone and merged over a file', async () => {
    expect(await run('--mode', 'validate', '--config-yaml', 'admin: { address: { socket_address: { address: 127.0.0.1, port_value: 9901 } } }')).toMatchObject({ code: 0, stdout: "configuration '' OK\n" });
    const merged = await run('--mode', 'validate', '-c', corpus('orion-proxy__conf__envoy-runtime-pipe.yaml'), '--config-yaml', 'static_resources: { clusters: [{ name: cluster_http_1 }] }');
    expect(merged.code).toBe(1);
    expect(merged.stderr).toBe('--config-yaml:1:34: static_resources.clusters[0](cluster_http_1).name: duplicate cluster name "cluster_http_1"\n');
  });

  it('reports an unreadable file and a missing configuration', async () => {
    expect(await run('--mode', 'validate', '-c', fixture('nope.yaml'))).toMatchObject({ code: 1, stderr: expect.stringContaining(`orion: cannot read configuration file "${fixture('nope.yaml')}": no such file`) });
    expect(await run('--mode', 'validate')).toMatchObject({ code: 1, stderr: 'orion: a configuration is required: give -c/--config-path or --config-yaml\n' });
  });
});

describe('orion', () => {
  it('refuses to serve dynamic_resources (xDS is not wired into serving yet) and empty configurations', async () => {
    const xds = await run('-c', corpus('orion-proxy__conf__orion-runtime-xds.yaml'));
    expect(xds.code).toBe(1);
    expect(xds.stderr).toContain('dynamic_resources (xDS), which the proxy does not serve yet');
    const empty = await run('-c', corpus('config.yaml'));
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('no listeners and no ADS configured');
  });

  it('prints help and version, and refuses unknown flags', async () => {
    expect(await run('--help')).toMatchObject({ code: 0, stdout: expect.stringContaining('--mode <serve|validate>') });
    expect(await run('--version')).toEqual({ code: 0, stdout: `orion version ${ORION_VERSION}\n`, stderr: '' });
    expect(await run('--hot-restart-version')).toMatchObject({ code: 1, stderr: 'orion: unknown option "--hot-restart-version" (see --help)\n' });
  });

  it('prints the package version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string; bin: Record<string, string> };
    expect(ORION_VERSION).toBe(pkg.version);
    expect(pkg.bin['orion']).toBe('./dist/cli.js');
  });
});
