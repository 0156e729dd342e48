import type { EventEmitter } from 'node:events';
import { loadConfiguration, loadConfigurationFromCli, type CliOptions, type LoadedConfiguration } from '@orion/configuration';
import { DataPlane } from '@orion/lib';
import { DEFAULT_CONFIG_YAML } from './default-config.js';
import type { CliIo } from './run-cli.js';

/** Where `serve` learns about signals (the process; tests pass their own emitter). */
export type SignalSource = Pick<EventEmitter, 'on' | 'off'>;

/** The name shown for the embedded default configuration. */
export const EMBEDDED_CONFIG_NAME = '<embedded default>';

function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Serves a configuration until SIGTERM or SIGINT: builds the data plane, prints where it listens, then on the
 * first signal stops accepting and lets in-flight requests finish (at most `--drain-time-s`), and on a second
 * signal stops at once. SIGUSR1 reopens the access-log files. Returns the exit code.
 */
export async function serve(options: CliOptions, io: CliIo, signals: SignalSource, load: () => Promise<LoadedConfiguration>): Promise<number> {
  const { bootstrap, warnings } = await load();
  for (const w of warnings) io.stderr.write(`warning: ${w.path}: ${w.message}\n`);
  const dynamic = bootstrap.dynamicResources;
  if (dynamic !== undefined && (dynamic.ads !== undefined || dynamic.lds !== undefined || dynamic.cds !== undefined)) {
    io.stderr.write('orion: this configuration uses dynamic_resources (xDS), which the proxy does not serve yet; validate it with --mode validate\n');
    return 1;
  }
  if (bootstrap.staticResources.listeners.length === 0) {
    io.stderr.write('orion: no listeners and no ADS configured: nothing to serve\n');
    return 1;
  }
  const plane = await DataPlane.start({ bootstrap });
  for (const [name, bound] of plane.addresses()) {
    const where = bound.type === 'pipe' ? bound.path : `${bound.host.includes(':') ? `[${bound.host}]` : bound.host}:${bound.port}`;
    io.stdout.write(`orion: listener ${name} listening on ${where}\n`);
  }
  if (options.configPath === undefined && options.configYaml === undefined) {
    const main = plane.addresses().get('listener_http');
    if (main?.type === 'socket') io.stdout.write(`try: curl http://${hostForUrl(main.host)}:${main.port}/direct-response\n`);
  }
  io.stdout.write('orion: ready\n');

  return new Promise<number>((resolve) => {
    let stopping = false;
    const onStop = (): void => {
      if (stopping) {
        io.stderr.write('orion: second signal, stopping now\n');
        void plane.destroy().then(() => finish(0));
        return;
      }
      stopping = true;
      io.stderr.write(`orion: draining (at most ${options.drainTimeS} s); send the signal again to stop now\n`);
      const deadline = setTimeout(() => void plane.destroy().then(() => finish(0)), options.drainTimeS * 1000);
      deadline.unref();
      void plane.close().then(() => {
        clearTimeout(deadline);
        finish(0);
      });
    };
    const onReopen = (): void => void plane.accessLogSinks.reopenAll();
    let done = false;
    const finish = (code: number): void => {
      if (done) return;
      done = true;
      signals.off('SIGTERM', onStop);
      signals.off('SIGINT', onStop);
      signals.off('SIGUSR1', onReopen);
      resolve(code);
    };
    signals.on('SIGTERM', onStop);
    signals.on('SIGINT', onStop);
    signals.on('SIGUSR1', onReopen);
  });
}

/** Loads the configuration the command line names, or the embedded default when it names none. */
export function configurationLoader(options: CliOptions, env: Readonly<Record<string, string | undefined>> | undefined): () => Promise<LoadedConfiguration> {
  if (options.configPath === undefined && options.configYaml === undefined) {
    return () => loadConfiguration({ text: DEFAULT_CONFIG_YAML, path: EMBEDDED_CONFIG_NAME, ...(env === undefined ? {} : { env }) });
  }
  return () => loadConfigurationFromCli(options, env === undefined ? {} : { env });
}
