import type { AccessLog } from '@orion/configuration';
import { OrionError, assertNever } from '@orion/error';
import { LogFormatter, type FormatContext } from '@orion/format';
import { readFile } from 'node:fs/promises';
import { AccessLogSink } from '../access-log/access-log-sink.js';
import { LibErrorCode } from '../error-codes.js';

/** Something that writes one access-log line per finished session (the lead's `AccessLogger` fits). */
export interface TcpProxyAccessLog {
  /** Renders and queues one line; must not throw. */
  log(context: FormatContext): void;
}

/** Access logs built from configuration, with the sinks they own. */
export interface OwnedAccessLogs {
  readonly logs: readonly TcpProxyAccessLog[];
  /** Flushes and closes the sinks. */
  close(): Promise<void>;
}

/**
 * Builds a tcp_proxy's access logs from its `access_log` list: a formatter per log (text, `text_format_source` or
 * `json_format`, with `omit_empty_values`) writing to its own {@link AccessLogSink}. Throws
 * `ORION_ERR_LIB_TCP_PROXY_ACCESS_LOG` naming the log when a format does not parse or its source cannot be read.
 */
export async function buildAccessLogs(configs: readonly AccessLog[]): Promise<OwnedAccessLogs> {
  const sinks: AccessLogSink[] = [];
  const logs: TcpProxyAccessLog[] = [];
  try {
    for (const config of configs) {
      const formatter = await buildFormatter(config);
      const sink = new AccessLogSink(config.sink);
      sinks.push(sink);
      await sink.open();
      logs.push({
        log(context) {
          let line: string;
          try {
            line = formatter.render(context);
          } catch {
            return;
          }
          sink.write(line);
        },
      });
    }
  } catch (err) {
    await Promise.all(sinks.map((s) => s.close()));
    throw err;
  }
  return { logs, close: async () => void (await Promise.all(sinks.map((s) => s.close()))) };
}

async function buildFormatter(config: AccessLog): Promise<LogFormatter> {
  const format = config.format;
  try {
    switch (format.type) {
      case 'text':
        return LogFormatter.text(format.format, { omitEmptyValues: format.omitEmptyValues });
      case 'json':
        return LogFormatter.json(format.format, { omitEmptyValues: format.omitEmptyValues });
      case 'textSource': {
        const source = format.source;
        let text: string;
        switch (source.type) {
          case 'file':
            text = await readFile(source.path, 'utf8');
            break;
          case 'inlineString':
            text = source.value;
            break;
          case 'inlineBytes':
            text = Buffer.from(source.base64, 'base64').toString('utf8');
            break;
          case 'environmentVariable': {
            const value = process.env[source.name];
            if (value === undefined) throw new Error(`environment variable ${source.name} is not set`);
            text = value;
            break;
          }
          default:
            return assertNever(source, 'data source');
        }
        return LogFormatter.text(text, { omitEmptyValues: format.omitEmptyValues });
      }
      default:
        return assertNever(format, 'access log format');
    }
  } catch (err) {
    throw new OrionError(LibErrorCode.TCP_PROXY_ACCESS_LOG, `access log ${JSON.stringify(config.name)}: ${(err as Error).message}`, { cause: err });
  }
}
