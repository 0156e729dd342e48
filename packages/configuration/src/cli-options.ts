import { OrionError } from '@orion/error';
import { ConfigurationErrorCode } from './error-codes.js';
import type { LogLevel } from './model/logging.js';

/**
 * The `orion` command line, in Envoy's flag names. Istio's pilot-agent flags `--base-id`, `--disable-hot-restart`,
 * `--skip-deprecated-logs`, `--local-address-ip-version` and `--file-flush-interval-msec` are accepted and ignored.
 */
export interface CliOptions {
  /** `-c`, `--config-path`, `--config`: the bootstrap file (YAML or JSON, Envoy or Orion's wrapper). */
  readonly configPath?: string;
  /** `--config-yaml`: an Envoy bootstrap merged over the file (Envoy's MergeFrom: lists append, scalars replace). */
  readonly configYaml?: string;
  /** `--mode`: `serve` (default) or `validate`. */
  readonly mode: 'serve' | 'validate';
  /** `-l`, `--log-level`. */
  readonly logLevel?: LogLevel;
  /** `--component-log-level`: `component:level,…`. */
  readonly componentLogLevels: { readonly [component: string]: LogLevel };
  /** `--log-format` (spdlog pattern). */
  readonly logFormat?: string;
  /** `--concurrency`: worker processes (wins over every other source). */
  readonly concurrency?: number;
  /** `--drain-time-s`. Default 600. */
  readonly drainTimeS: number;
  /** `--parent-shutdown-time-s`. Default 900. */
  readonly parentShutdownTimeS: number;
  /** `--drain-strategy`: `gradual` (default) or `immediate`. */
  readonly drainStrategy: 'gradual' | 'immediate';
  /** `--service-node`: sets `node.id`. */
  readonly serviceNode?: string;
  /** `--service-cluster`: sets `node.cluster`. */
  readonly serviceCluster?: string;
  /** `--allow-unknown-static-fields`: unknown fields become warnings. Default false. */
  readonly allowUnknownStaticFields: boolean;
  /** `-h`, `--help`. */
  readonly help: boolean;
  /** `--version`. */
  readonly version: boolean;
  /** Flags accepted for compatibility and ignored, as given (e.g. `--base-id`). */
  readonly ignoredFlags: readonly string[];
}

type ValueFlag =
  | 'configPath'
  | 'configYaml'
  | 'mode'
  | 'logLevel'
  | 'componentLogLevel'
  | 'logFormat'
  | 'concurrency'
  | 'drainTimeS'
  | 'parentShutdownTimeS'
  | 'drainStrategy'
  | 'serviceNode'
  | 'serviceCluster';

const VALUE_FLAGS: Readonly<Record<string, ValueFlag>> = {
  '-c': 'configPath',
  '--config-path': 'configPath',
  '--config': 'configPath',
  '--config-yaml': 'configYaml',
  '--mode': 'mode',
  '-l': 'logLevel',
  '--log-level': 'logLevel',
  '--component-log-level': 'componentLogLevel',
  '--log-format': 'logFormat',
  '--concurrency': 'concurrency',
  '--drain-time-s': 'drainTimeS',
  '--parent-shutdown-time-s': 'parentShutdownTimeS',
  '--drain-strategy': 'drainStrategy',
  '--service-node': 'serviceNode',
  '--service-cluster': 'serviceCluster',
};

/** Ignored flags and whether they take a value. */
const IGNORED_FLAGS: Readonly<Record<string, boolean>> = {
  '--base-id': true,
  '--disable-hot-restart': false,
  '--skip-deprecated-logs': false,
  '--local-address-ip-version': true,
  '--file-flush-interval-msec': true,
};

const LEVELS: Readonly<Record<string, LogLevel>> = {
  trace: 'trace',
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  warning: 'warn',
  error: 'error',
  err: 'error',
  critical: 'error',
  off: 'off',
};

/** Reads a log level name (`warning` → `warn`, `critical` → `error`); undefined when unknown. */
export function parseLogLevel(name: string): LogLevel | undefined {
  return LEVELS[name.trim().toLowerCase()];
}

/** The `orion --help` text. */
export const CLI_USAGE = `Usage: orion [options]

  -c, --config-path <file>      Envoy v3 bootstrap or Orion configuration file (YAML or JSON); also --config
      --config-yaml <yaml>      bootstrap YAML merged over the file
      --mode <serve|validate>   serve (default), or check the configuration and exit 0/1
  -l, --log-level <level>       trace, debug, info, warning, error, critical, off
      --component-log-level <c:level,...>
      --log-format <pattern>    log line pattern
      --concurrency <n>         worker processes
      --drain-time-s <s>        drain time on shutdown (default 600)
      --parent-shutdown-time-s <s> (default 900)
      --drain-strategy <gradual|immediate>
      --service-node <id>       node.id
      --service-cluster <name>  node.cluster
      --allow-unknown-static-fields  unknown fields are warnings
  -h, --help                    this text
      --version                 the version
  Accepted and ignored: --base-id, --disable-hot-restart, --skip-deprecated-logs,
  --local-address-ip-version, --file-flush-interval-msec
`;

function fail(message: string): never {
  throw new OrionError(ConfigurationErrorCode.OPTIONS, message);
}

function nonNegativeInt(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) fail(`${flag}: expected an integer ≥ ${min}, got ${JSON.stringify(value)}`);
  return n;
}

/**
 * Parses the command line (without the node and script names), as Envoy reads it: `--flag value` or
 * `--flag=value`.
 * @throws OrionError `ORION_ERR_CONFIG_OPTIONS` on an unknown flag or a bad value.
 */
export function parseCliOptions(argv: readonly string[]): CliOptions {
  const values: Partial<Record<ValueFlag, string>> = {};
  const ignoredFlags: string[] = [];
  let help = false;
  let version = false;
  let allowUnknownStaticFields = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq < 0 ? arg : arg.slice(0, eq);
    const inline = eq < 0 ? undefined : arg.slice(eq + 1);
    const takeValue = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined) fail(`${flag}: a value is required`);
      i++;
      return next;
    };
    if (flag === '-h' || flag === '--help') help = true;
    else if (flag === '--version') version = true;
    else if (flag === '--allow-unknown-static-fields') allowUnknownStaticFields = true;
    else if (flag in VALUE_FLAGS) values[VALUE_FLAGS[flag] as ValueFlag] = takeValue();
    else if (flag in IGNORED_FLAGS) {
      if (IGNORED_FLAGS[flag] === true) takeValue();
      ignoredFlags.push(flag);
    } else fail(`unknown option ${JSON.stringify(arg)} (see --help)`);
  }
  const mode = values.mode ?? 'serve';
  if (mode !== 'serve' && mode !== 'validate') fail(`--mode: expected serve or validate, got ${JSON.stringify(mode)}`);
  const drainStrategy = values.drainStrategy ?? 'gradual';
  if (drainStrategy !== 'gradual' && drainStrategy !== 'immediate') fail(`--drain-strategy: expected gradual or immediate, got ${JSON.stringify(drainStrategy)}`);
  let logLevel: LogLevel | undefined;
  if (values.logLevel !== undefined) {
    logLevel = parseLogLevel(values.logLevel);
    if (logLevel === undefined) fail(`--log-level: unknown level ${JSON.stringify(values.logLevel)}`);
  }
  const componentLogLevels: Record<string, LogLevel> = {};
  for (const pair of (values.componentLogLevel ?? '').split(',')) {
    if (pair.trim() === '') continue;
    const [component, level] = pair.split(':');
    const parsed = level === undefined ? undefined : parseLogLevel(level);
    if (component === undefined || component.trim() === '' || parsed === undefined) fail(`--component-log-level: expected component:level, got ${JSON.stringify(pair)}`);
    componentLogLevels[component.trim()] = parsed;
  }
  return {
    ...(values.configPath === undefined ? {} : { configPath: values.configPath }),
    ...(values.configYaml === undefined ? {} : { configYaml: values.configYaml }),
    mode,
    ...(logLevel === undefined ? {} : { logLevel }),
    componentLogLevels,
    ...(values.logFormat === undefined ? {} : { logFormat: values.logFormat }),
    ...(values.concurrency === undefined ? {} : { concurrency: nonNegativeInt('--concurrency', values.concurrency, 1) }),
    drainTimeS: values.drainTimeS === undefined ? 600 : nonNegativeInt('--drain-time-s', values.drainTimeS, 0),
    parentShutdownTimeS: values.parentShutdownTimeS === undefined ? 900 : nonNegativeInt('--parent-shutdown-time-s', values.parentShutdownTimeS, 0),
    drainStrategy,
    ...(values.serviceNode === undefined ? {} : { serviceNode: values.serviceNode }),
    ...(values.serviceCluster === undefined ? {} : { serviceCluster: values.serviceCluster }),
    allowUnknownStaticFields,
    help,
    version,
    ignoredFlags,
  };
}
