import type { AccessLog } from '@orion/configuration';
import { OrionError } from '@orion/error';
import type { FormatContext } from '@orion/format';
import { AccessLogSinks } from '../access-log/access-log-sinks.js';
import { createAccessLogger } from '../access-log/create-access-logger.js';
import { LibErrorCode } from '../error-codes.js';

/** Something that writes one access-log line per finished session (an `AccessLogger` is one). */
export interface TcpProxyAccessLog {
  /** Renders and queues one line; must not throw. */
  log(context: FormatContext): void;
}

/** Access logs built from configuration, and how to release what they own. */
export interface OwnedAccessLogs {
  readonly logs: readonly TcpProxyAccessLog[];
  /** Flushes and closes the sinks created for these logs (none when a shared registry was given). */
  close(): Promise<void>;
}

/**
 * Builds a tcp_proxy's access logs from its `access_log` list with `createAccessLogger`, writing to the sinks of
 * `sinks` (shared with other loggers of the process) or, without it, to a private registry released by
 * {@link OwnedAccessLogs.close}. Rejects with `ORION_ERR_LIB_TCP_PROXY_ACCESS_LOG` naming the log when a format does
 * not parse, its source cannot be read or its file cannot be opened.
 */
export async function buildAccessLogs(configs: readonly AccessLog[], sinks?: AccessLogSinks): Promise<OwnedAccessLogs> {
  const registry = sinks ?? new AccessLogSinks();
  const release = sinks === undefined ? () => registry.closeAll() : () => Promise.resolve();
  const logs: TcpProxyAccessLog[] = [];
  try {
    for (const config of configs) {
      try {
        logs.push(await createAccessLogger(config, registry));
      } catch (err) {
        throw new OrionError(LibErrorCode.TCP_PROXY_ACCESS_LOG, `access log ${JSON.stringify(config.name)}: ${(err as Error).message}`, { cause: err });
      }
    }
  } catch (err) {
    await release();
    throw err;
  }
  return { logs, close: release };
}
