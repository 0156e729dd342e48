import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BootstrapSchema } from '../src/gen/envoy/config/bootstrap/v3/bootstrap_pb.js';
import { decodeMessage, FieldPath, parseSource } from '../src/index.js';
import { corpusDir } from './corpus.js';

/**
 * The decoding step's outcome for every file of ../shared/corpus/orion-rust (see its README's table).
 * `ok`: decodes; `no-bootstrap`: an Orion wrapper without `envoy_bootstrap`, or Orion's native schema
 * (handled by @orion/configuration); otherwise the text the decode error must contain.
 */
const EXPECTED: Readonly<Record<string, 'ok' | 'no-bootstrap' | { readonly refused: string }>> = {
  'config.yaml': 'no-bootstrap',
  'envoy-bootstrap.yaml': 'ok',
  'examples__internal-listener-demo__orion-config.yaml': 'no-bootstrap',
  'examples__tlv-filter-demo__orion-config.yaml': 'ok',
  'orion-configuration__bootstrap.yaml': 'ok',
  'orion-configuration__ng.yaml': { refused: 'static_resources.listeners[0](listener-1).address: expected a mapping for envoy.config.core.v3.Address' },
  'orion-configuration__tests__access_log__hcm_file_bad_name.yaml': 'ok',
  'orion-configuration__tests__access_log__hcm_file_default.yaml': 'ok',
  'orion-configuration__tests__access_log__hcm_file_name_mismatch.yaml': 'ok',
  'orion-configuration__tests__access_log__hcm_file_with_bad_format.yaml': 'ok',
  'orion-configuration__tests__access_log__hcm_file_with_format.yaml': 'ok',
  'orion-configuration__tests__access_log__hcm_file_without_path.yaml': {
    refused: 'typed_config.access_log[0](envoy.access_loggers.file).typed_config.path: value is required',
  },
  'orion-configuration__tests__config_bad.yaml': 'no-bootstrap',
  'orion-configuration__tests__config_empty.yaml': 'ok',
  'orion-configuration__tests__set_filter_state__istio_waypoint_config.yaml': 'ok',
  'orion-data-plane-api__tests__bootstrap_with_dynamic_resource.yml': 'ok',
  'orion-data-plane-api__tests__bootstrap_with_http_connection_manager.yml': 'ok',
  'orion-data-plane-api__tests__bootstrap_with_http_filters.yml': {
    refused: 'http_filters[0](sample customized filter).typed_config: unknown type type.googleapis.com/sample.SampleFilter',
  },
  'orion-data-plane-api__tests__bootstrap_with_tcp_proxy.yml': 'ok',
  'orion-data-plane-api__tests__bootstrap_with_tls_server.yml': 'ok',
  // The corpus README lists this file as OK, but its `filter_chains` is indented under `address`, which Envoy
  // rejects as an unknown field of envoy.config.core.v3.Address too.
  'orion-data-plane-api__tests__bootstrap_with_weighted_cluster.yml': {
    refused: 'static_resources.listeners[0](listener_0).address.filter_chains: unknown field in envoy.config.core.v3.Address',
  },
  'orion-proxy__conf__bootstrap-with-keys.yaml': 'ok',
  // The demo files omit the HttpConnectionManager's required stat_prefix (PGV min_len 1), as Envoy would report.
  'orion-proxy__conf__demo__demo-dynamic.yaml': { refused: 'filters[0](http_gateway).typed_config.stat_prefix: value is required' },
  'orion-proxy__conf__demo__demo-static.yaml': { refused: 'filters[0](http_gateway).typed_config.stat_prefix: value is required' },
  'orion-proxy__conf__envoy-bootstrap-dyn.yaml': {
    refused: 'static_resources.listeners[0](listener_http).filter_chains[0](filter_chain_http1).filters[0](http_gateway).typed_config.stat_prefix: value is required',
  },
  'orion-proxy__conf__envoy-bootstrap-tlv-demo.yaml': 'ok',
  'orion-proxy__conf__envoy-rev.json': 'ok',
  'orion-proxy__conf__envoy-rev.yaml': 'ok',
  'orion-proxy__conf__envoy-runtime-pipe.yaml': 'ok',
  'orion-proxy__conf__internal-listener-demo.yaml': 'no-bootstrap',
  'orion-proxy__conf__orion-conf.yaml': 'no-bootstrap',
  'orion-proxy__conf__orion-runtime-bare.yaml': 'no-bootstrap',
  'orion-proxy__conf__orion-runtime-health.yaml': 'ok',
  'orion-proxy__conf__orion-runtime-http.yaml': 'ok',
  'orion-proxy__conf__orion-runtime-lb.yaml': 'ok',
  'orion-proxy__conf__orion-runtime-pipe.yaml': 'ok',
  'orion-proxy__conf__orion-runtime-tlv-demo.yaml': 'ok',
  'orion-proxy__conf__orion-runtime-weighted-clusters.yaml': 'ok',
  'orion-proxy__conf__orion-runtime-xds.yaml': 'ok',
  'orion-proxy__conf__orion-runtime.yaml': 'ok',
};

const ORION_KEYS = ['runtime', 'logging', 'access_logging', 'envoy_bootstrap'];

describe('loadBootstrap on the shared corpus', () => {
  const dir = corpusDir();
  const files = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();

  it('has an expectation for every corpus file', () => {
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const file of files) {
    it(`decodes ${file} as the corpus README expects`, async () => {
      const expected = EXPECTED[file];
      const doc = parseSource(readFileSync(path.join(dir, file), 'utf8'), { path: file });
      const top = (doc.value ?? {}) as Record<string, unknown>;
      const wrapped = ORION_KEYS.some((k) => k in top);
      if (wrapped && !('envoy_bootstrap' in top)) {
        expect(expected).toBe('no-bootstrap');
        return;
      }
      const value = wrapped ? top['envoy_bootstrap'] : top;
      const at = wrapped ? FieldPath.root.field('envoy_bootstrap') : FieldPath.root;
      const result = decodeMessage(BootstrapSchema, value, { document: doc, at });
      if (expected === 'ok') await expect(result).resolves.toHaveProperty('message');
      else if (expected === 'no-bootstrap') throw new Error(`${file} has an envoy_bootstrap`);
      else await expect(result).rejects.toThrow(expected?.refused ?? '<missing expectation>');
    });
  }
});
