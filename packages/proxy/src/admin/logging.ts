import type { LogLevel } from '@orion/configuration';
import type { LogLevelChange } from '../worker/worker-messages.js';
import type { AdminContext } from './admin-context.js';
import { textResponse, type AdminResponse } from './admin-response.js';
import type { AdminRequest } from './url-handler.js';

/** Orion's log components: the loggers `/logging` lists and sets. */
export const LOG_COMPONENTS = ['admin', 'config', 'dataplane', 'main', 'worker'] as const;

/** spdlog's level names, as Envoy lists them. */
const SPDLOG_LEVELS = ['trace', 'debug', 'info', 'warning', 'error', 'critical', 'off'] as const;

const FROM_SPDLOG: Readonly<Record<string, LogLevel>> = { trace: 'trace', debug: 'debug', info: 'info', warning: 'warn', warn: 'warn', error: 'error', critical: 'error', off: 'off' };
const TO_SPDLOG: Readonly<Record<LogLevel, string>> = { trace: 'trace', debug: 'debug', info: 'info', warn: 'warning', error: 'error', off: 'off' };

/** Reads the query as Envoy's `LogsHandler::changeLogLevel` does; a string is the error message. */
function changeOf(query: URLSearchParams): LogLevelChange | undefined | string {
  const entries = [...query.entries()].filter(([k, v]) => !((k === 'level' || k === 'paths') && v === ''));
  if (entries.length === 0) return undefined;
  if (entries.length !== 1) return 'invalid number of parameters';
  const [key, value] = entries[0] as [string, string];
  if (key === 'level') {
    const level = FROM_SPDLOG[value];
    return level === undefined ? 'unknown logger level' : { level };
  }
  const pairs: [string, string][] = [];
  if (key === 'paths') {
    for (const part of value.split(',')) {
      const i = part.indexOf(':');
      if (i <= 0) return 'invalid paths';
      pairs.push([part.slice(0, i), part.slice(i + 1)]);
    }
  } else pairs.push([key, value]);
  const components: Record<string, LogLevel> = {};
  for (const [name, levelName] of pairs) {
    const level = FROM_SPDLOG[levelName];
    if (level === undefined) return 'unknown logger level';
    if (!(LOG_COMPONENTS as readonly string[]).includes(name)) return 'unknown logger name';
    components[name] = level;
  }
  return { components };
}

/** `/logging`: `?level=` (every logger), `?<logger>=<level>` or `?paths=a:level,b:level`; lists the loggers. */
export function logging(request: AdminRequest, context: AdminContext): AdminResponse {
  const change = changeOf(request.query);
  let body = '';
  let status = 200;
  if (typeof change === 'string') {
    status = 400;
    body += `error: ${change}\n\n`;
    body += 'usage: /logging?<name>=<level> (change single level)\n';
    body += 'usage: /logging?paths=name1:level1,name2:level2,... (change multiple levels)\n';
    body += 'usage: /logging?level=<level> (change all levels)\n';
    body += `levels: ${SPDLOG_LEVELS.map((l) => `${l} `).join('')}\n`;
  } else if (change !== undefined) context.setLogLevels(change);
  const levels = context.logger.levels();
  body += 'active loggers:\n';
  for (const component of LOG_COMPONENTS) body += `  ${component}: ${TO_SPDLOG[levels.components[component] ?? levels.level]}\n`;
  body += '\n';
  return textResponse(body, status);
}
