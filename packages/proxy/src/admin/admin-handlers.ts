import type { AdminContext } from './admin-context.js';
import { ContentType, type AdminResponse } from './admin-response.js';
import { clusters } from './clusters.js';
import { configDump, type EnvoyJsonSerializers } from './config-dump.js';
import { helpText, homePage } from './help.js';
import { listeners } from './listeners.js';
import { logging } from './logging.js';
import { drainListeners, healthcheckFail, healthcheckOk, quitQuitQuit, reopenLogs, resetCounters } from './server-commands.js';
import { certs, memory, ready, serverInfo } from './server-info.js';
import { prometheusStats, stats } from './stats.js';
import type { UrlHandler } from './url-handler.js';

/** Every admin endpoint Orion serves, with Envoy's help texts and parameters. */
export function adminHandlers(serialize: EnvoyJsonSerializers): readonly UrlHandler[] {
  const handlers: UrlHandler[] = [];
  const add = (prefix: string, help: string, mutatesState: boolean, handle: UrlHandler['handle'], params: UrlHandler['params'] = []): void => {
    handlers.push({ prefix, help, mutatesState, params, handle });
  };
  add('/', 'Admin home page', false, (): AdminResponse => ({ status: 200, contentType: ContentType.HTML, body: homePage(handlers) }));
  add('/certs', 'print certs on machine', false, certs);
  add('/clusters', 'upstream cluster status', false, clusters, [{ type: 'enum', id: 'format', help: 'File format to use', choices: ['text', 'json'] }]);
  add('/config_dump', 'dump current Envoy configs (experimental)', false, (request, context: AdminContext) => configDump(request, context, serialize), [
    { type: 'string', id: 'resource', help: 'The resource to dump' },
    {
      type: 'string',
      id: 'mask',
      help: 'The mask to apply. When both resource and mask are specified, the mask is applied to every element in the desired repeated field so that only a subset of fields are returned. The mask is parsed as a ProtobufWkt::FieldMask',
    },
    {
      type: 'string',
      id: 'name_regex',
      help: 'Dump only the currently loaded configurations whose names match the specified regex. Can be used with both resource and mask query parameters.',
    },
    { type: 'boolean', id: 'include_eds', help: 'Dump currently loaded configuration including EDS. See the response definition for more information' },
  ]);
  add('/healthcheck/fail', 'cause the server to fail health checks', true, healthcheckFail);
  add('/healthcheck/ok', 'cause the server to pass health checks', true, healthcheckOk);
  add('/help', 'print out list of admin commands', false, () => ({ status: 200, body: helpText(handlers) }));
  add('/logging', 'query/change logging levels', true, logging, [
    {
      type: 'string',
      id: 'paths',
      help: 'Change multiple logging levels by setting to <logger_name1>:<desired_level1>,<logger_name2>:<desired_level2>.',
    },
    { type: 'enum', id: 'level', help: "desired logging level, this will change all loggers's level", choices: ['', 'trace', 'debug', 'info', 'warning', 'error', 'critical', 'off'] },
  ]);
  add('/memory', 'print current allocation/heap usage', false, memory);
  add('/quitquitquit', 'exit the server', true, quitQuitQuit);
  add('/reset_counters', 'reset all counters to zero', true, resetCounters);
  add('/drain_listeners', 'drain listeners', true, drainListeners, [
    {
      type: 'boolean',
      id: 'graceful',
      help: 'When draining listeners, enter a graceful drain period prior to closing listeners. This behaviour and duration is configurable via server options or CLI',
    },
    {
      type: 'boolean',
      id: 'inboundonly',
      help: 'Drains all inbound listeners. traffic_direction field in envoy_v3_api_msg_config.listener.v3.Listener is used to determine whether a listener is inbound or outbound.',
    },
  ]);
  add('/server_info', 'print server version/status information', false, (_request, context) => serverInfo(context));
  add('/ready', 'print server state, return 200 if LIVE, otherwise return 503', false, (_request, context) => ready(context));
  add('/stats', 'print server stats', false, stats, [
    { type: 'boolean', id: 'usedonly', help: 'Only include stats that have been written by system since restart' },
    { type: 'string', id: 'filter', help: 'Regular expression (Google re2) for filtering stats' },
    { type: 'enum', id: 'format', help: 'Format to use', choices: ['html', 'active-html', 'text', 'json'] },
    { type: 'enum', id: 'type', help: 'Stat types to include.', choices: ['All', 'Counters', 'Histograms', 'Gauges', 'TextReadouts'] },
    { type: 'enum', id: 'histogram_buckets', help: 'Histogram bucket display mode', choices: ['cumulative', 'disjoint', 'detailed', 'none'] },
  ]);
  add('/stats/prometheus', 'print server stats in prometheus format', false, prometheusStats, [
    { type: 'boolean', id: 'usedonly', help: 'Only include stats that have been written by system since restart' },
    { type: 'boolean', id: 'text_readouts', help: 'Render text_readouts as new gaugues with value 0 (increases Prometheus data size)' },
    { type: 'string', id: 'filter', help: 'Regular expression (Google re2) for filtering stats' },
    { type: 'enum', id: 'histogram_buckets', help: 'Histogram bucket display mode', choices: ['cumulative', 'summary'] },
  ]);
  add('/listeners', 'print listener info', false, listeners, [{ type: 'enum', id: 'format', help: 'File format to use', choices: ['text', 'json'] }]);
  add('/reopen_logs', 'reopen access logs', true, reopenLogs);
  return handlers;
}
