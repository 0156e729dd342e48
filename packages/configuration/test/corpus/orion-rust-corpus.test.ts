import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DecodeIssue } from '@orion/data-plane-api';
import { OrionError } from '@orion/error';
import { describe, expect, it } from 'vitest';
import { loadConfiguration } from '../../src/index.js';
import { corpusDirectory } from '../support/corpus.js';

/**
 * The expected outcome of each corpus file, from shared/corpus/README.md's table:
 * - `ok` / `ok-empty` (validates, nothing to serve);
 * - `refused`: refused, with an issue whose path ends with `path` (and whose message matches `message`, if given);
 * - `missing-file`: refused naming the missing file;
 * - `not-yet`: refused with a path and "not implemented";
 * - `native`: Orion's Rust-native schema, one error naming the key.
 */
type Outcome =
  | { readonly kind: 'ok' | 'ok-empty' }
  | { readonly kind: 'refused'; readonly path: string; readonly message?: RegExp; readonly line?: number }
  | { readonly kind: 'missing-file'; readonly file: string }
  | { readonly kind: 'not-yet'; readonly path: string }
  | { readonly kind: 'native'; readonly key: string; readonly line: number };

const HCM = 'static_resources.listeners[0](listener-1).filter_chains[0](filter_chain_http).filters[0](http_con_man).typed_config';

const EXPECTED: Readonly<Record<string, Outcome>> = {
  'orion-proxy__conf__orion-runtime.yaml': { kind: 'ok' },
  'orion-proxy__conf__orion-runtime-weighted-clusters.yaml': { kind: 'ok' },
  'orion-proxy__conf__orion-runtime-http.yaml': { kind: 'ok' },
  'orion-proxy__conf__orion-runtime-lb.yaml': { kind: 'ok' },
  'orion-proxy__conf__orion-runtime-pipe.yaml': { kind: 'ok' },
  'orion-proxy__conf__envoy-runtime-pipe.yaml': { kind: 'ok' },
  'orion-proxy__conf__orion-runtime-xds.yaml': { kind: 'ok' },
  'envoy-bootstrap.yaml': { kind: 'ok' },
  'orion-configuration__bootstrap.yaml': { kind: 'ok' },
  'orion-data-plane-api__tests__bootstrap_with_dynamic_resource.yml': { kind: 'ok' },
  'orion-data-plane-api__tests__bootstrap_with_http_connection_manager.yml': { kind: 'ok' },
  'orion-data-plane-api__tests__bootstrap_with_tcp_proxy.yml': { kind: 'ok' },
  // The README lists this file as OK, but its `filter_chains` is indented under `address` (and its tcp_proxy
  // `weighted_clusters` is a list): Envoy refuses it too (unknown field, then "no filter chains specified").
  'orion-data-plane-api__tests__bootstrap_with_weighted_cluster.yml': { kind: 'refused', path: 'static_resources.listeners[0](listener_0).address.filter_chains', message: /unknown field/, line: 10 },
  'orion-configuration__tests__access_log__hcm_file_default.yaml': { kind: 'ok' },
  'orion-configuration__tests__access_log__hcm_file_with_format.yaml': { kind: 'ok' },
  'orion-configuration__tests__access_log__hcm_file_bad_name.yaml': { kind: 'ok' },
  'orion-configuration__tests__access_log__hcm_file_name_mismatch.yaml': { kind: 'ok' },
  'orion-proxy__conf__envoy-rev.yaml': { kind: 'ok' },
  'orion-proxy__conf__envoy-rev.json': { kind: 'ok' },
  'config.yaml': { kind: 'ok-empty' },
  'orion-proxy__conf__orion-conf.yaml': { kind: 'ok-empty' },
  'orion-proxy__conf__orion-runtime-bare.yaml': { kind: 'ok-empty' },
  'orion-configuration__tests__config_empty.yaml': { kind: 'ok-empty' },
  'orion-configuration__tests__config_bad.yaml': { kind: 'refused', path: 'runtime', message: /expected a mapping, got number 44/, line: 2 },
  'orion-configuration__tests__access_log__hcm_file_with_bad_format.yaml': {
    kind: 'refused',
    path: `${HCM}.access_log[0](envoy.access_loggers.file).typed_config.log_format.text_format`,
    message: /invalid access-log format at column \d+, in "%START_TIME\]/,
    line: 35,
  },
  'orion-configuration__tests__access_log__hcm_file_without_path.yaml': {
    kind: 'refused',
    path: `${HCM}.access_log[0](envoy.access_loggers.file).typed_config.path`,
    message: /value is required/,
    line: 31,
  },
  'orion-proxy__conf__envoy-bootstrap-dyn.yaml': {
    kind: 'refused',
    path: 'static_resources.listeners[1](listener_http2).filter_chains[0](filter_chain_http2).filters[0](http_gateway).typed_config.stat_prefix',
    message: /value is required/,
    line: 40,
  },
  'orion-data-plane-api__tests__bootstrap_with_http_filters.yml': {
    kind: 'refused',
    path: 'static_resources.listeners[1].filters[0](sending-to-server).typed_config.http_filters[0](sample customized filter).typed_config',
    message: /unknown type type\.googleapis\.com\/sample\.SampleFilter/,
    line: 35,
  },
  'orion-configuration__ng.yaml': { kind: 'native', key: 'terminal_filter', line: 9 },
  'examples__internal-listener-demo__orion-config.yaml': { kind: 'native', key: 'bootstrap_extensions', line: 8 },
  'orion-proxy__conf__internal-listener-demo.yaml': { kind: 'native', key: 'bootstrap_extensions', line: 8 },
  'orion-proxy__conf__bootstrap-with-keys.yaml': { kind: 'missing-file', file: './test_certs/dummy.cert.pem' },
  'orion-proxy__conf__orion-runtime-health.yaml': { kind: 'missing-file', file: './test_certs/beefcakeCA-gathered/beefcake-athlone.cert.pem' },
  'orion-data-plane-api__tests__bootstrap_with_tls_server.yml': { kind: 'missing-file', file: './tests/server.crt' },
  'orion-proxy__conf__demo__demo-static.yaml': { kind: 'not-yet', path: 'static_resources.listeners[1](listener_https).filter_chains[0](filter_chain_https1).transport_socket' },
  'orion-proxy__conf__demo__demo-dynamic.yaml': { kind: 'not-yet', path: 'static_resources.listeners[1](listener_https).filter_chains[0](filter_chain_https1).filter_chain_match.server_names' },
  'orion-proxy__conf__orion-runtime-tlv-demo.yaml': { kind: 'not-yet', path: 'envoy_bootstrap.static_resources.listeners[0](listener_tlv_proxy_protocol).listener_filters[0](envoy.filters.listener.proxy_protocol)' },
  'orion-proxy__conf__envoy-bootstrap-tlv-demo.yaml': { kind: 'not-yet', path: 'static_resources.listeners[0](listener_tlv_proxy_protocol).listener_filters[0](envoy.filters.listener.proxy_protocol)' },
  'examples__tlv-filter-demo__orion-config.yaml': { kind: 'not-yet', path: 'envoy_bootstrap.static_resources.listeners[0](tlv_demo_listener).listener_filters[0](envoy.listener.kmesh_tlv)' },
  'orion-configuration__tests__set_filter_state__istio_waypoint_config.yaml': {
    kind: 'not-yet',
    path: 'static_resources.listeners[0](test_listener).filter_chains[0].filters[0](envoy.filters.network.http_connection_manager).typed_config.http_filters[0](istio.set_filter_state)',
  },
};

const dir = corpusDirectory();
const files = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();

async function load(file: string): Promise<{ readonly ok: true; readonly listeners: number; readonly ads: boolean } | { readonly ok: false; readonly error: OrionError }> {
  try {
    const { bootstrap } = await loadConfiguration({ text: readFileSync(join(dir, file), 'utf8'), path: file, env: {}, availableParallelism: 2 });
    return { ok: true, listeners: bootstrap.staticResources.listeners.length, ads: bootstrap.dynamicResources?.ads !== undefined };
  } catch (err) {
    if (err instanceof OrionError) return { ok: false, error: err };
    throw err;
  }
}

function issuesOf(error: OrionError): readonly DecodeIssue[] {
  return (error.details['issues'] as readonly DecodeIssue[] | undefined) ?? [];
}

/** Paths inside a wrapper file start with `envoy_bootstrap.`; the table gives them relative to the bootstrap. */
function pathMatches(issue: DecodeIssue, path: string): boolean {
  return issue.path === path || issue.path === `envoy_bootstrap.${path}`;
}

describe('the orion-rust corpus', () => {
  it('has an expected outcome for every file, and every listed file exists', () => {
    expect(files.filter((f) => EXPECTED[f] === undefined)).toEqual([]);
    expect(Object.keys(EXPECTED).filter((f) => !files.includes(f))).toEqual([]);
  });

  for (const file of files) {
    const expected = EXPECTED[file];
    if (expected === undefined) continue;
    it(`${file}: ${expected.kind}`, async () => {
      const result = await load(file);
      switch (expected.kind) {
        case 'ok':
          if (!result.ok) throw result.error;
          expect(result.listeners > 0 || result.ads).toBe(true);
          break;
        case 'ok-empty':
          if (!result.ok) throw result.error;
          expect(result.listeners === 0 && !result.ads).toBe(true);
          break;
        case 'refused': {
          expect(result.ok).toBe(false);
          if (result.ok) return;
          const issue = issuesOf(result.error).find((i) => pathMatches(i, expected.path));
          expect(issue, result.error.message).toBeDefined();
          if (expected.message !== undefined) expect(issue?.message).toMatch(expected.message);
          if (expected.line !== undefined) expect(issue?.location?.line).toBe(expected.line);
          expect(result.error.message).toContain(`${file}:`);
          break;
        }
        case 'missing-file':
          expect(result.ok).toBe(false);
          if (result.ok) return;
          expect(issuesOf(result.error).some((i) => i.message === `file ${JSON.stringify(expected.file)} does not exist` && i.path.endsWith('.filename'))).toBe(true);
          break;
        case 'not-yet': {
          expect(result.ok).toBe(false);
          if (result.ok) return;
          const issue = issuesOf(result.error).find((i) => pathMatches(i, expected.path));
          expect(issue, result.error.message).toBeDefined();
          expect(issue?.message).toMatch(/is not implemented$/);
          break;
        }
        case 'native': {
          expect(result.ok).toBe(false);
          if (result.ok) return;
          expect(result.error.code).toBe('ORION_ERR_CONFIG_NATIVE_SCHEMA');
          const issues = issuesOf(result.error);
          expect(issues).toHaveLength(1);
          expect(issues[0]?.message).toContain(`"${expected.key}" is a native key`);
          expect(issues[0]?.location?.line).toBe(expected.line);
          break;
        }
      }
    });
  }
});
