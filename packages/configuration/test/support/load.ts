import type { DecodeIssue } from '@orion/data-plane-api';
import { OrionError } from '@orion/error';
import { loadConfiguration, type LoadConfigurationOptions, type LoadedConfiguration } from '../../src/index.js';

/** Loads `text` as `test.yaml` with an empty environment and two CPUs. */
export function load(text: string, options: Omit<LoadConfigurationOptions, 'text'> = {}): Promise<LoadedConfiguration> {
  return loadConfiguration({ text, path: 'test.yaml', env: {}, availableParallelism: 2, ...options });
}

/** Loads `text`, expecting it to be refused; returns the error and its issues. */
export async function refuse(text: string, options: Omit<LoadConfigurationOptions, 'text'> = {}): Promise<{ readonly error: OrionError; readonly issues: readonly DecodeIssue[] }> {
  try {
    await load(text, options);
  } catch (err) {
    if (!(err instanceof OrionError)) throw err;
    return { error: err, issues: (err.details['issues'] as readonly DecodeIssue[] | undefined) ?? [] };
  }
  throw new Error('expected the configuration to be refused');
}

/** The issue at `path`, or a readable failure listing the issues. */
export function issueAt(issues: readonly DecodeIssue[], path: string): DecodeIssue {
  const issue = issues.find((i) => i.path === path);
  if (issue === undefined) throw new Error(`no issue at ${path}; issues:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`);
  return issue;
}

/** A minimal valid bootstrap: one HTTP listener routing to one static cluster. Lines are numbered from 1. */
export const MINIMAL = `static_resources:
  listeners:
  - name: http
    address: { socket_address: { address: 127.0.0.1, port_value: 8000 } }
    filter_chains:
    - filters:
      - name: hcm
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
          stat_prefix: ingress
          route_config:
            virtual_hosts:
            - name: all
              domains: ["*"]
              routes:
              - match: { prefix: "/" }
                route: { cluster: backend }
          http_filters:
          - name: router
            typed_config:
              "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
  clusters:
  - name: backend
    connect_timeout: 1s
    load_assignment:
      endpoints:
      - lb_endpoints:
        - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: 9000 } } }
`;
