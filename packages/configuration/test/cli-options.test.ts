import { describe, expect, it } from 'vitest';
import { ConfigurationErrorCode, parseCliOptions } from '../src/index.js';

describe('parseCliOptions', () => {
  it('has Envoy\'s defaults', () => {
    expect(parseCliOptions([])).toEqual({
      mode: 'serve',
      componentLogLevels: {},
      drainTimeS: 600,
      parentShutdownTimeS: 900,
      drainStrategy: 'gradual',
      allowUnknownStaticFields: false,
      help: false,
      version: false,
      ignoredFlags: [],
    });
  });

  it('reads every flag, as --flag value and --flag=value', () => {
    const options = parseCliOptions([
      '-c', 'a.yaml', '--config-yaml=admin: {}', '--mode', 'validate', '--log-level', 'warning', '--component-log-level', 'upstream:debug,xds:trace',
      '--log-format', '%v', '--concurrency', '4', '--drain-time-s', '45', '--parent-shutdown-time-s=60', '--drain-strategy', 'immediate',
      '--service-node', 'n', '--service-cluster', 'c', '--allow-unknown-static-fields',
    ]);
    expect(options).toMatchObject({
      configPath: 'a.yaml',
      configYaml: 'admin: {}',
      mode: 'validate',
      logLevel: 'warn',
      componentLogLevels: { upstream: 'debug', xds: 'trace' },
      logFormat: '%v',
      concurrency: 4,
      drainTimeS: 45,
      parentShutdownTimeS: 60,
      drainStrategy: 'immediate',
      serviceNode: 'n',
      serviceCluster: 'c',
      allowUnknownStaticFields: true,
    });
    expect(parseCliOptions(['--config-path', 'b.json']).configPath).toBe('b.json');
    expect(parseCliOptions(['--config', 'c.yaml']).configPath).toBe('c.yaml');
  });

  it('accepts and ignores the flags Istio\'s pilot-agent passes', () => {
    const options = parseCliOptions(['--base-id', '1', '--disable-hot-restart', '--skip-deprecated-logs', '--local-address-ip-version', 'v4', '--file-flush-interval-msec=1000', '-c', 'x']);
    expect(options.ignoredFlags).toEqual(['--base-id', '--disable-hot-restart', '--skip-deprecated-logs', '--local-address-ip-version', '--file-flush-interval-msec']);
    expect(options.configPath).toBe('x');
  });

  it('refuses unknown flags, missing values and bad values', () => {
    for (const argv of [['--nope'], ['-c'], ['--mode', 'init_only'], ['--concurrency', '0'], ['--log-level', 'loud'], ['--component-log-level', 'upstream'], ['--drain-strategy', 'slow']]) {
      expect(() => parseCliOptions(argv), argv.join(' ')).toThrow(expect.objectContaining({ code: ConfigurationErrorCode.OPTIONS }));
    }
  });
});
