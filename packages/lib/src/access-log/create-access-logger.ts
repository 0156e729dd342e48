import { readFile } from 'node:fs/promises';
import type { AccessLog, DataSource } from '@orion/configuration';
import { assertNever } from '@orion/error';
import { LogFormatter } from '@orion/format';
import { AccessLogger } from './access-logger.js';
import type { AccessLogSinks } from './access-log-sinks.js';

async function dataSourceText(source: DataSource): Promise<string> {
  switch (source.type) {
    case 'inlineString':
      return source.value;
    case 'inlineBytes':
      return Buffer.from(source.base64, 'base64').toString('utf8');
    case 'file':
      return readFile(source.path, 'utf8');
    case 'environmentVariable':
      return process.env[source.name] ?? '';
    default:
      return assertNever(source, 'data source');
  }
}

/** Builds the logger for one configured access log (file, stdout or stderr; text or JSON). */
export async function createAccessLogger(config: AccessLog, sinks: AccessLogSinks): Promise<AccessLogger> {
  const format = config.format;
  let formatter: LogFormatter;
  switch (format.type) {
    case 'text':
      formatter = LogFormatter.text(format.format, { omitEmptyValues: format.omitEmptyValues });
      break;
    case 'textSource':
      formatter = LogFormatter.text(await dataSourceText(format.source), { omitEmptyValues: format.omitEmptyValues });
      break;
    case 'json':
      formatter = LogFormatter.json(format.format, { omitEmptyValues: format.omitEmptyValues });
      break;
    default:
      return assertNever(format, 'access log format');
  }
  const sink = await sinks.get(config.sink);
  return new AccessLogger(formatter, sink);
}
