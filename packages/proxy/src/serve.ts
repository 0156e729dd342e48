import type { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import { ConfigurationErrorCode, loadConfiguration, loadConfigurationFromCli, type Bootstrap, type CliOptions, type LoadedConfiguration } from '@orion/configuration';
import { OrionError, printError } from '@orion/error';
import type { TagProducer } from '@orion/metrics';
import { snapshotOf } from './config/configuration-snapshot.js';
import { describeChanges } from './config/describe-changes.js';
import type { SnapshotResources } from './config/diff-configuration.js';
import { configEqual } from '@orion/lib';
import { DEFAULT_CONFIG_YAML } from './default-config.js';
import { fileLogDestination, streamLogDestination, type LogDestination } from './logging/log-destination.js';
import { createLogger, type Logger } from './logging/logger.js';
import { clusterWorkers } from './primary/cluster-worker.js';
import { allowedCores, planCpuAffinity } from './primary/cpu-affinity.js';
import { inProcessWorkers } from './primary/in-process-worker.js';
import { chooseListenerSharing, describeListenerSharing } from './primary/listener-sharing.js';
import { PortReservations } from './primary/port-reservations.js';
import { Primary } from './primary/primary.js';
import { findTaskset, pinProcess } from './primary/taskset.js';
import type { CliIo } from './run-cli.js';
import { adminHandlers } from './admin/admin-handlers.js';
import { AdminServer } from './admin/admin-server.js';
import { REDACTING_SERIALIZERS } from './admin/envoy-serializers.js';
import { ProxyAdmin } from './admin/proxy-admin.js';
import type { OtlpStatsSinks } from './stats/otlp-stats-sink.js';
import { statsTagProducer } from './stats/stats-config.js';

/** Where `serve` learns about signals (the process; tests pass their own emitter). */
export type SignalSource = Pick<EventEmitter, 'on' | 'off'>;

/** The name shown for the embedded default configuration. */
export const EMBEDDED_CONFIG_NAME = '<embedded default>';

/** The worker process entry, next to the built module (`dist/worker.js`). */
export const WORKER_ENTRY = fileURLToPath(new URL('./worker.js', import.meta.url));

function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** Why this configuration cannot be served, or undefined. */
function servingRefusal(bootstrap: Bootstrap): string | undefined {
  const dynamic = bootstrap.dynamicResources;
  if (dynamic !== undefined && (dynamic.ads !== undefined || dynamic.lds !== undefined || dynamic.cds !== undefined)) {
    return 'this configuration uses dynamic_resources (xDS), which the proxy does not serve yet; validate it with --mode validate';
  }
  if (bootstrap.staticResources.listeners.length === 0) return 'no listeners and no ADS configured: nothing to serve';
  return undefined;
}

function resourcesOf(bootstrap: Bootstrap): SnapshotResources {
  const { version: _version, ...resources } = snapshotOf(bootstrap);
  return resources;
}

/** Logs a configuration that failed to load: each of its errors on its own line. */
function logLoadFailure(logger: Logger, err: unknown): void {
  if (OrionError.is(err, ConfigurationErrorCode.INVALID) || OrionError.is(err, ConfigurationErrorCode.NATIVE_SCHEMA)) {
    for (const line of err.message.split('\n')) if (line.trim() !== '') logger.error(line.trim());
  } else {
    for (const line of printError(err, { codes: false }).split('\n')) logger.error(line);
  }
}

/**
 * Serves a configuration until SIGTERM or SIGINT. With one worker (`--concurrency 1`) the primary serves in its own
 * process; otherwise it forks a worker process per slot (listeners shared through `SO_REUSEPORT` where the running
 * Node supports it, else through `node:cluster`), pinned to cores when `runtime.affinity_strategy` asks and taskset
 * is installed, and replaces a worker that dies. Prints where it listens and `orion: ready`. SIGHUP reloads the
 * configuration (an invalid one is logged and the running one keeps serving); SIGTERM/SIGINT drain (at most
 * `--drain-time-s`) and a second one stops at once; SIGUSR1 reopens the log files. Returns the exit code.
 */
export async function serve(options: CliOptions, io: CliIo, signals: SignalSource, load: () => Promise<LoadedConfiguration>): Promise<number> {
  const { bootstrap, warnings } = await load();
  for (const w of warnings) io.stderr.write(`warning: ${w.path}: ${w.message}\n`);
  const refusal = servingRefusal(bootstrap);
  if (refusal !== undefined) {
    io.stderr.write(`orion: ${refusal}\n`);
    return 1;
  }
  const env = io.env ?? process.env;
  let destination: LogDestination;
  try {
    destination = bootstrap.logging.file === undefined ? streamLogDestination(io.stderr) : fileLogDestination(bootstrap.logging.file);
  } catch (err) {
    io.stderr.write(`orion: ${printError(err, { codes: false })}\n`);
    return 1;
  }
  const logger = createLogger({ logging: bootstrap.logging, destination });
  const configLogger = logger.child('config');
  const source = options.configPath ?? (options.configYaml === undefined ? EMBEDDED_CONFIG_NAME : '--config-yaml');

  const workers = bootstrap.runtime.numRuntimes;
  const sharing = await chooseListenerSharing(workers, env);
  logger.info(`${workers === 1 ? 'serving in this process (--concurrency 1)' : `${workers} worker processes`}: ${describeListenerSharing(sharing)}`);
  const plan = planCpuAffinity(bootstrap.runtime, await allowedCores());
  let taskset: string | undefined;
  if (plan !== undefined) {
    for (const problem of plan.problems) logger.warn(`runtime.affinity_strategy: ${problem}`);
    taskset = await findTaskset(env);
    if (taskset === undefined) logger.warn('runtime.affinity_strategy asks for CPU pinning, but taskset (util-linux) is not installed: workers run unpinned');
    else if (workers === 1 && plan.cores[0] !== undefined) {
      const cores = plan.cores[0];
      await pinProcess(taskset, process.pid, cores).then(
        () => logger.info(`pinned to CPU ${cores.join(',')}`),
        (err: unknown) => logger.warn(`could not pin this process to CPU ${cores.join(',')}: ${(err as Error).message}`),
      );
    }
  }

  // The admin API answers from before the workers start (`/ready`: INITIALIZING) until the process exits.
  let quit: () => void = () => undefined;
  let reopen: () => void = () => undefined;
  let tagProducer: TagProducer;
  try {
    tagProducer = statsTagProducer(bootstrap.statsConfig);
  } catch (err) {
    io.stderr.write(`orion: ${printError(err, { codes: false })}\n`);
    destination.close();
    return 1;
  }
  const admin = new ProxyAdmin({ options, bootstrap, logger, workers, quit: () => quit(), reopenLogs: () => reopen(), flushIntervalMs: bootstrap.statsFlushIntervalMs, tagProducer });
  let adminServer: AdminServer | undefined;
  let sinks: OtlpStatsSinks | undefined;
  const release = async (): Promise<void> => {
    admin.close();
    await sinks?.close();
    await adminServer?.close();
  };
  try {
    if (bootstrap.statsSinks.length > 0) {
      // Loaded only when a sink is configured: OpenTelemetry and gRPC stay out of every other process.
      const { OtlpStatsSinks } = await import('./stats/otlp-stats-sink.js');
      sinks = OtlpStatsSinks.start({
        sinks: bootstrap.statsSinks,
        clusters: bootstrap.staticResources.clusters,
        flushIntervalMs: bootstrap.statsFlushIntervalMs,
        collect: async () => (await admin.stats()).snapshot,
        logger: logger.child('main'),
        tagProducer,
      });
    }
    if (bootstrap.admin !== undefined) {
      adminServer = await AdminServer.start({
        address: bootstrap.admin.address,
        accessLogs: bootstrap.admin.accessLogs,
        handlers: adminHandlers(REDACTING_SERIALIZERS),
        context: admin,
        logger: logger.child('admin'),
        stats: admin.serverStats.store,
      });
      const server = adminServer;
      admin.addStatsSync(() => server.syncStats());
      const bound = adminServer.address;
      const where = bound.type === 'pipe' ? bound.path : `${bound.host.includes(':') ? `[${bound.host}]` : bound.host}:${bound.port}`;
      logger.info(`admin address: ${where}`);
      io.stdout.write(`orion: admin listening on ${where}\n`);
    }
  } catch (err) {
    io.stderr.write(`orion: ${printError(err, { codes: false })}\n`);
    await release();
    destination.close();
    return 1;
  }

  let primary: Primary;
  try {
    const spawn = workers === 1 ? inProcessWorkers(logger) : clusterWorkers({ entry: WORKER_ENTRY, logger, ...(plan === undefined ? {} : { cores: plan.cores }), ...(taskset === undefined ? {} : { taskset }) });
    primary = await Primary.start({
      snapshot: snapshotOf(bootstrap),
      workers,
      spawn,
      reusePort: sharing.type === 'reusePort',
      ...(sharing.type === 'reusePort' ? { reservations: new PortReservations() } : {}),
      logging: bootstrap.logging,
      statsFlushIntervalMs: bootstrap.statsFlushIntervalMs,
      statsConfig: bootstrap.statsConfig,
      logger,
      replaceWorkers: workers > 1,
    });
  } catch (err) {
    io.stderr.write(`orion: ${printError(err, { codes: false })}\n`);
    await release();
    destination.close();
    return 1;
  }
  admin.attach(primary);
  for (const [id, handle] of primary.workers) logger.info(`worker ${id} pid ${handle.pid} serving`, { worker: id, pid: handle.pid });
  for (const [name, bound] of primary.addresses()) {
    const where = bound.type === 'pipe' ? bound.path : `${bound.host.includes(':') ? `[${bound.host}]` : bound.host}:${bound.port}`;
    io.stdout.write(`orion: listener ${name} listening on ${where}\n`);
  }
  if (options.configPath === undefined && options.configYaml === undefined) {
    const main = primary.addresses().get('listener_http');
    if (main?.type === 'socket') io.stdout.write(`try: curl http://${hostForUrl(main.host)}:${main.port}/direct-response\n`);
  }
  io.stdout.write('orion: ready\n');

  let running = bootstrap;
  const reload = async (): Promise<void> => {
    configLogger.info(`SIGHUP: reloading ${source}`);
    let loaded: LoadedConfiguration;
    try {
      loaded = await load();
    } catch (err) {
      configLogger.error(`SIGHUP: ${source} is invalid; configuration version ${primary.snapshot.version} keeps serving`);
      logLoadFailure(configLogger, err);
      return;
    }
    for (const w of loaded.warnings) configLogger.warn(`${w.path}: ${w.message}`);
    const refused = servingRefusal(loaded.bootstrap);
    if (refused !== undefined) {
      configLogger.error(`SIGHUP: ${source} cannot be served (${refused}); configuration version ${primary.snapshot.version} keeps serving`);
      return;
    }
    if (!configEqual(loaded.bootstrap.runtime, running.runtime) || !configEqual(loaded.bootstrap.logging, running.logging)) {
      configLogger.warn('SIGHUP: changes to the runtime and logging settings take effect at the next start');
    }
    const b = loaded.bootstrap;
    if (
      !configEqual(b.admin, running.admin) ||
      !configEqual(b.statsSinks, running.statsSinks) ||
      b.statsFlushIntervalMs !== running.statsFlushIntervalMs ||
      !configEqual(b.statsConfig, running.statsConfig)
    ) {
      configLogger.warn('SIGHUP: changes to admin, stats_sinks, stats_flush_interval and stats_config take effect at the next start');
    }
    try {
      const outcome = await primary.reload(resourcesOf(loaded.bootstrap));
      running = loaded.bootstrap;
      if (outcome.type === 'applied') admin.applied(outcome.changes, primary.snapshot, loaded.bootstrap);
      if (outcome.type === 'unchanged') configLogger.info(`SIGHUP: configuration unchanged (version ${outcome.version})`);
      else configLogger.info(`SIGHUP: configuration version ${outcome.version} applied by ${outcome.workers} worker(s): ${describeChanges(outcome.changes)}`);
    } catch (err) {
      configLogger.error(`SIGHUP: ${source} could not be applied; configuration version ${primary.snapshot.version} keeps serving`);
      logLoadFailure(configLogger, err);
    }
  };

  return new Promise<number>((resolve) => {
    let stopping = false;
    let reloading: Promise<void> = Promise.resolve();
    const onStop = (): void => {
      if (stopping) {
        logger.warn('second signal: stopping now');
        void primary.destroy().then(() => finish(0));
        return;
      }
      stopping = true;
      admin.shuttingDown();
      logger.info(`draining (at most ${options.drainTimeS} s); send the signal again to stop now`);
      void primary.drain(options.drainTimeS * 1000).then((outcome) => {
        logger.info(outcome === 'drained' ? 'drained; exiting' : `drain time (${options.drainTimeS} s) over: remaining connections closed; exiting`);
        finish(0);
      });
    };
    const onReload = (): void => {
      if (stopping) {
        configLogger.warn('SIGHUP ignored: shutting down');
        return;
      }
      reloading = reloading.then(reload);
    };
    const onReopen = (): void => {
      destination.reopen();
      primary.reopenLogs();
      void adminServer?.reopenLogs();
    };
    quit = onStop;
    reopen = onReopen;
    let done = false;
    const finish = (code: number): void => {
      if (done) return;
      done = true;
      signals.off('SIGTERM', onStop);
      signals.off('SIGINT', onStop);
      signals.off('SIGHUP', onReload);
      signals.off('SIGUSR1', onReopen);
      void release().finally(() => {
        destination.close();
        resolve(code);
      });
    };
    signals.on('SIGTERM', onStop);
    signals.on('SIGINT', onStop);
    signals.on('SIGHUP', onReload);
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
