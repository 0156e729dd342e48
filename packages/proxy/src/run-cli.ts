import { CLI_USAGE, ConfigurationErrorCode, formatIssue, loadConfigurationFromCli, parseCliOptions, type CliOptions } from '@orion/configuration';
import { OrionError, printError } from '@orion/error';
import { configurationLoader, serve, type SignalSource } from './serve.js';
import { ORION_VERSION } from './version.js';

/** Where the command writes, and what it reads from its surroundings. */
export interface CliIo {
  /** Standard output. */
  readonly stdout: { write(text: string): unknown };
  /** Standard error. */
  readonly stderr: { write(text: string): unknown };
  /** The environment. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where signals come from in serve mode. Default: the process. */
  readonly signals?: SignalSource;
}

/**
 * Runs the `orion` command with `argv` (without the node and script names) and returns its exit code.
 * `--mode validate` checks the configuration and prints `configuration '<file>' OK` (exit 0) or every error (exit 1),
 * as Envoy does. `--mode serve` (the default) serves the configuration — the embedded default when none is named —
 * until SIGTERM/SIGINT.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let options: CliOptions;
  try {
    options = parseCliOptions(argv);
  } catch (err) {
    io.stderr.write(`orion: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  if (options.help) {
    io.stdout.write(CLI_USAGE);
    return 0;
  }
  if (options.version) {
    io.stdout.write(`orion version ${ORION_VERSION}\n`);
    return 0;
  }
  try {
    if (options.mode === 'serve') return await serve(options, io, io.signals ?? process, configurationLoader(options, io.env));
    const { warnings } = await loadConfigurationFromCli(options, io.env === undefined ? {} : { env: io.env });
    for (const warning of warnings) io.stderr.write(`warning: ${formatIssue(warning)}\n`);
    io.stdout.write(`configuration '${options.configPath ?? ''}' OK\n`);
    return 0;
  } catch (err) {
    if (OrionError.is(err, ConfigurationErrorCode.INVALID) || OrionError.is(err, ConfigurationErrorCode.NATIVE_SCHEMA)) {
      io.stderr.write(`${err.message}\n`);
    } else {
      io.stderr.write(`orion: ${printError(err, { codes: false })}\n`);
    }
    return 1;
  }
}
