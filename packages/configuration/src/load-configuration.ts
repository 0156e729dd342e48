import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { fromBinary, toBinary } from '@bufbuild/protobuf';
import {
  DataPlaneApiErrorCode,
  FieldPath,
  decodeMessage,
  makeIssue,
  parseSource,
  typeRegistry,
  type DecodeIssue,
  type LazyTypeRegistry,
  type SourceDocument,
} from '@orion/data-plane-api';
import { BootstrapSchema, type Bootstrap as BootstrapProto } from '@orion/data-plane-api/gen/envoy/config/bootstrap/v3/bootstrap_pb.js';
import { OrionError } from '@orion/error';
import { checkCrossReferences } from './check/cross-references.js';
import { validateMessage } from './check/validate-message.js';
import type { CliOptions } from './cli-options.js';
import { configurationError } from './configuration-error.js';
import { ConversionContext, type IssueLocator } from './convert/conversion-context.js';
import { convertBootstrapMessage } from './convert/convert-bootstrap.js';
import { ConfigurationErrorCode } from './error-codes.js';
import { mergedLocator } from './input/merged-locator.js';
import { normalizeJson } from './input/normalize-json.js';
import { accessLoggingSectionSchema, IGNORED_RUNTIME_KEYS, loggingSectionSchema, parseSection, runtimeSectionSchema, type SectionProblem } from './input/orion-sections.js';
import { resolveLogging, resolveRuntime } from './input/resolve-sections.js';
import { splitOrionFile } from './input/split-orion-file.js';
import type { Bootstrap, Node } from './model/bootstrap.js';

/** Options for {@link loadConfiguration}. */
export interface LoadConfigurationOptions {
  /** The file's text (an Envoy bootstrap or Orion's wrapper file). Default: none (only `configYaml`). */
  readonly text?: string;
  /** The file name, for messages and to pick JSON for `.json`. */
  readonly path?: string;
  /** `--config-yaml`: an Envoy bootstrap merged over the file's. */
  readonly configYaml?: string;
  /** The command-line options that shape the result (`--concurrency`, `--log-level`, `--service-node`, …). */
  readonly cli?: Partial<Pick<CliOptions, 'concurrency' | 'logLevel' | 'componentLogLevels' | 'logFormat' | 'serviceNode' | 'serviceCluster' | 'allowUnknownStaticFields'>>;
  /** The environment. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The CPU count. Default `os.availableParallelism()`. */
  readonly availableParallelism?: number;
  /** Relative data-source files are resolved against this directory. Default `process.cwd()`. */
  readonly baseDirectory?: string;
  /** The type registry. Default: @orion/data-plane-api's. */
  readonly registry?: LazyTypeRegistry;
}

/** A loaded configuration: the model and what was accepted with a remark. */
export interface LoadedConfiguration {
  /** The validated model. */
  readonly bootstrap: Bootstrap;
  /** Accepted with a warning (unknown fields allowed by `--allow-unknown-static-fields`, skipped filters, …). */
  readonly warnings: readonly DecodeIssue[];
  /** Fields of the documented *ignored* class that were set (log them at debug level). */
  readonly ignored: readonly DecodeIssue[];
}

function syntaxIssue(err: unknown): DecodeIssue {
  if (OrionError.is(err, DataPlaneApiErrorCode.SYNTAX)) {
    const location = err.details['location'] as DecodeIssue['location'];
    const file = err.details['file'];
    return { path: '', message: err.message.replace(/^.*?:\d+:\d+: /, ''), ...(location === undefined ? {} : { location }), ...(typeof file === 'string' ? { file } : {}) };
  }
  throw err;
}

function decodeIssues(err: unknown): readonly DecodeIssue[] {
  if (OrionError.is(err, DataPlaneApiErrorCode.DECODE)) return (err.details['issues'] as readonly DecodeIssue[] | undefined) ?? [];
  throw err;
}

/**
 * Loads an Orion configuration: parses the file (YAML or JSON; an Envoy v3 bootstrap or Orion's wrapper with
 * `runtime`, `logging`, `access_logging`, `envoy_bootstrap`), merges `--config-yaml`, decodes, checks every rule
 * (PGV, supported fields, data-source files, cross references) and converts it into the {@link Bootstrap} model.
 * @throws OrionError `ORION_ERR_CONFIG_INVALID` listing every issue (`details.issues`), or
 * `ORION_ERR_CONFIG_NATIVE_SCHEMA` for Orion's Rust-native schema.
 */
export async function loadConfiguration(options: LoadConfigurationOptions): Promise<LoadedConfiguration> {
  const registry = options.registry ?? typeRegistry;
  const env = options.env ?? process.env;
  const what = options.path === undefined ? 'the configuration' : options.path;
  const issues: DecodeIssue[] = [];
  const warnings: DecodeIssue[] = [];
  const ignored: DecodeIssue[] = [];

  if (options.text === undefined && options.configYaml === undefined) {
    throw new OrionError(ConfigurationErrorCode.OPTIONS, 'a configuration is required: give -c/--config-path or --config-yaml');
  }
  let document: SourceDocument;
  try {
    document = parseSource(options.text ?? '', options.path === undefined ? {} : { path: options.path });
  } catch (err) {
    throw configurationError([syntaxIssue(err)], what);
  }
  const locate: IssueLocator = (path, message) => makeIssue(path, message, document);
  const split = splitOrionFile(document.value);
  const native = split.problems.find((p) => p.native);
  if (native !== undefined) throw configurationError([locate(native.path, native.message)], what, ConfigurationErrorCode.NATIVE_SCHEMA);
  for (const p of split.problems) issues.push(locate(p.path, p.message));
  const file = split.file;
  const at = file?.bootstrapAt ?? FieldPath.root;

  // Orion's own sections.
  const sectionProblems: SectionProblem[] = [];
  const runtimeSection = parseSection(runtimeSectionSchema.nullish(), file?.runtime, FieldPath.root.field('runtime'));
  const loggingSection = parseSection(loggingSectionSchema.nullish(), file?.logging, FieldPath.root.field('logging'));
  const accessLogging = parseSection(accessLoggingSectionSchema.nullish(), file?.accessLogging, FieldPath.root.field('access_logging'));
  sectionProblems.push(...runtimeSection.problems, ...loggingSection.problems, ...accessLogging.problems);
  const tokioKnobs = IGNORED_RUNTIME_KEYS.filter((k) => runtimeSection.data?.[k] !== undefined && runtimeSection.data[k] !== null);
  if (tokioKnobs.length > 0) warnings.push(locate(FieldPath.root.field('runtime'), `${tokioKnobs.join(', ')}: Tokio scheduler settings have no meaning for Orion's Node.js workers and are ignored`));
  if (file?.accessLogging !== undefined && file.accessLogging !== null) {
    ignored.push(locate(FieldPath.root.field('access_logging'), 'access_logging is ignored: the connection managers\' access_log settings drive access logging'));
  }
  const overrides = {
    env,
    availableParallelism: options.availableParallelism ?? availableParallelism(),
    ...(options.cli?.concurrency === undefined ? {} : { concurrency: options.cli.concurrency }),
    ...(options.cli?.logLevel === undefined ? {} : { logLevel: options.cli.logLevel }),
    ...(options.cli?.componentLogLevels === undefined ? {} : { componentLogLevels: options.cli.componentLogLevels }),
    ...(options.cli?.logFormat === undefined ? {} : { logFormat: options.cli.logFormat }),
  };
  const runtime = resolveRuntime(runtimeSection.data ?? undefined, overrides, sectionProblems);
  const logging = resolveLogging(loggingSection.data ?? undefined, overrides, FieldPath.root.field('logging'), sectionProblems);
  for (const p of sectionProblems) issues.push(locate(p.path, p.message));

  // The Envoy bootstrap (and --config-yaml over it).
  const allowUnknownFields = options.cli?.allowUnknownStaticFields === true;
  let message: BootstrapProto | undefined;
  let overlay: SourceDocument | undefined;
  if (file !== undefined) {
    try {
      const value = await normalizeJson(BootstrapSchema, file.bootstrap, registry);
      // Unknown fields never stop decoding, so the other checks still run and every error is listed at once.
      const decoded = await decodeMessage(BootstrapSchema, value, { document, at, allowUnknownFields: true, skipValidation: true, registry });
      (allowUnknownFields ? warnings : issues).push(...decoded.warnings);
      message = decoded.message;
    } catch (err) {
      issues.push(...decodeIssues(err));
    }
  }
  if (options.configYaml !== undefined) {
    try {
      overlay = parseSource(options.configYaml, { path: '--config-yaml', format: 'yaml' });
      const value = await normalizeJson(BootstrapSchema, overlay.value ?? {}, registry);
      const decoded = await decodeMessage(BootstrapSchema, value, { document: overlay, allowUnknownFields: true, skipValidation: true, registry });
      (allowUnknownFields ? warnings : issues).push(...decoded.warnings);
      if (message !== undefined) message = fromBinary(BootstrapSchema, concat(toBinary(BootstrapSchema, message), toBinary(BootstrapSchema, decoded.message)));
    } catch (err) {
      if (OrionError.is(err, DataPlaneApiErrorCode.SYNTAX)) issues.push(syntaxIssue(err));
      else issues.push(...decodeIssues(err));
      message = undefined;
    }
  }
  if (message === undefined) throw configurationError(issues, what);

  const ctx = new ConversionContext(overlay === undefined ? locate : mergedLocator(document, file?.bootstrap ?? {}, at, overlay), registry);
  validateMessage(BootstrapSchema, message, at, ctx, { baseDirectory: options.baseDirectory ?? process.cwd(), env, ignored });
  const converted = convertBootstrapMessage(message, at, ctx, runtime, logging);
  const bootstrap: Bootstrap = { ...converted, node: completeNode(converted.node, options.cli, env) };
  for (const p of checkCrossReferences(bootstrap, at)) ctx.error(p.path, p.message);
  issues.push(...ctx.issues);
  warnings.push(...ctx.warnings);
  if (issues.length > 0) throw configurationError(issues, what);
  return { bootstrap, warnings, ignored };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** `--service-node`/`--service-cluster` win; `POD_NAME`/`POD_NAMESPACE` fill an empty `node.id`/`node.cluster`. */
function completeNode(node: Node, cli: LoadConfigurationOptions['cli'], env: Readonly<Record<string, string | undefined>>): Node {
  const id = cli?.serviceNode ?? (node.id === '' ? (env['POD_NAME'] ?? '') : node.id);
  const cluster = cli?.serviceCluster ?? (node.cluster === '' ? (env['POD_NAMESPACE'] ?? '') : node.cluster);
  return { ...node, id, cluster };
}

/**
 * Loads the configuration named by the command line: reads `-c` (if given) and merges `--config-yaml`.
 * @throws OrionError `ORION_ERR_CONFIG_READ` when the file cannot be read, else as {@link loadConfiguration}.
 */
export async function loadConfigurationFromCli(cli: CliOptions, options: Omit<LoadConfigurationOptions, 'text' | 'path' | 'configYaml' | 'cli'> = {}): Promise<LoadedConfiguration> {
  let text: string | undefined;
  if (cli.configPath !== undefined) {
    try {
      text = await readFile(cli.configPath, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new OrionError(ConfigurationErrorCode.READ, `cannot read configuration file ${JSON.stringify(cli.configPath)}${code === 'ENOENT' ? ': no such file' : ''}`, { cause: err, details: { file: cli.configPath } });
    }
  }
  return loadConfiguration({
    ...options,
    ...(text === undefined ? {} : { text }),
    ...(cli.configPath === undefined ? {} : { path: cli.configPath }),
    ...(cli.configYaml === undefined ? {} : { configYaml: cli.configYaml }),
    cli,
  });
}
