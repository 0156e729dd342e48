import type { RouteConfiguration } from '@orion/configuration';
import { OrionError } from '@orion/error';
import { asciiLower } from './ascii-case.js';
import { compileVirtualHost, type CompiledVirtualHost, type RouteSelection } from './compiled-route.js';
import { DomainTable } from './domain-table.js';
import { HeaderMutator } from './header-mutator.js';
import { hostPortStart, routingAuthority } from './host-port.js';
import { pathWithoutQuery } from './path-matcher.js';
import type { RouteRequest, StripPortMode } from './route-request.js';
import { RouterErrorCode } from './router-error-codes.js';

/** Options of {@link compileRouteConfiguration}: the connection manager settings that shape routing. */
export interface RouteTableOptions {
  /**
   * The HCM's `strip_matching_host_port` / `strip_any_host_port`: the port removed from the host before the domain
   * lookup (and from the host of a redirect's `Location`). Default `none`.
   */
  readonly stripPortMode?: StripPortMode;
}

/**
 * A route table compiled once per configuration version: every regular expression, header format and
 * direct-response body is prepared, so selecting a route does no parsing and allocates at most the path without its
 * query. Envoy: `Router::ConfigImpl` for one `envoy.config.route.v3.RouteConfiguration`.
 */
export class CompiledRouteConfiguration {
  /** `name`. */
  readonly name: string;
  /** The configuration it was compiled from. */
  readonly config: RouteConfiguration;
  /** The virtual hosts, in configuration order. */
  readonly virtualHosts: readonly CompiledVirtualHost[];
  /** The connection manager's port stripping. */
  readonly stripPortMode: StripPortMode;
  readonly #domains: DomainTable<CompiledVirtualHost>;
  readonly #ignorePort: boolean;

  /** @internal use {@link compileRouteConfiguration}. */
  constructor(config: RouteConfiguration, virtualHosts: readonly CompiledVirtualHost[], domains: DomainTable<CompiledVirtualHost>, stripPortMode: StripPortMode) {
    this.name = config.name;
    this.config = config;
    this.virtualHosts = virtualHosts;
    this.stripPortMode = stripPortMode;
    this.#domains = domains;
    this.#ignorePort = config.ignorePortInHostMatching;
  }

  /**
   * The host the router works with: the authority with the connection manager's port stripping applied
   * (`strip_matching_host_port` / `strip_any_host_port`). Redirects build their `Location` from it.
   */
  routingAuthority(req: RouteRequest): string {
    return routingAuthority(req, this.stripPortMode);
  }

  /**
   * The virtual host for `req`. Envoy: `RouteMatcher::findVirtualHost` — the host, lower-cased and without its port
   * when `ignore_port_in_host_matching` (default false), is looked up exact → longest `*suffix` → longest `prefix*`
   * → `*`. Undefined when nothing matches.
   */
  findVirtualHost(req: RouteRequest): CompiledVirtualHost | undefined {
    const domains = this.#domains;
    if (domains.onlyDefault) return domains.defaultValue;
    let host = this.routingAuthority(req);
    if (this.#ignorePort) {
      const port = hostPortStart(host);
      if (port >= 0) host = host.slice(0, port);
    }
    return domains.find(asciiLower(host));
  }

  /**
   * The route for `req`: its virtual host's first route whose match accepts the request. Undefined when no
   * virtual host or no route matches — the connection manager then answers 404 with response flag `NR`.
   */
  select(req: RouteRequest): RouteSelection | undefined {
    const vhost = this.findVirtualHost(req);
    if (vhost === undefined) return undefined;
    const path = pathWithoutQuery(req.path);
    for (const route of vhost.routes) {
      if (route.matches(req, path)) return route.selection;
    }
    return undefined;
  }
}

/**
 * Compiles a route table: RE2 patterns, header formats and the domain lookup are built once, direct-response bodies
 * read (asynchronously). Envoy: loading an `envoy.config.route.v3.RouteConfiguration` (inline or from RDS).
 * Rejects with `ORION_ERR_LIB_ROUTE_CONFIG` (an invalid pattern, substitution or header format, a pseudo-header or
 * `host` in a header mutation, a domain claimed twice) or `ORION_ERR_LIB_ROUTE_DIRECT_RESPONSE_BODY`.
 */
export async function compileRouteConfiguration(config: RouteConfiguration, options: RouteTableOptions = {}): Promise<CompiledRouteConfiguration> {
  try {
    return await compileTable(config, options);
  } catch (err) {
    throw OrionError.from(err, RouterErrorCode.ROUTE_CONFIG).withContext(`compiling route table ${JSON.stringify(config.name)}`, { routeConfiguration: config.name });
  }
}

async function compileTable(config: RouteConfiguration, options: RouteTableOptions): Promise<CompiledRouteConfiguration> {
  const m = config.headerMutations;
  const tableMutators = {
    request: HeaderMutator.compile(m.requestHeadersToAdd, m.requestHeadersToRemove, 'request_headers'),
    response: HeaderMutator.compile(m.responseHeadersToAdd, m.responseHeadersToRemove, 'response_headers'),
  };
  const stripPortMode = options.stripPortMode ?? 'none';
  const domains = new DomainTable<CompiledVirtualHost>();
  const virtualHosts: CompiledVirtualHost[] = [];
  for (const [i, vhostConfig] of config.virtualHosts.entries()) {
    const where = `virtual_hosts[${i}]`;
    const vhost = await compileVirtualHost(vhostConfig, config, tableMutators, stripPortMode, where);
    virtualHosts.push(vhost);
    for (const domain of vhostConfig.domains) {
      if (!domains.add(asciiLower(domain), vhost)) {
        throw new OrionError(RouterErrorCode.ROUTE_CONFIG, `${where}.domains: domain ${JSON.stringify(domain)} is used by more than one virtual host of route table ${JSON.stringify(config.name)}`, {
          details: { where, domain, routeConfiguration: config.name },
        });
      }
    }
  }
  return new CompiledRouteConfiguration(config, virtualHosts, domains, stripPortMode);
}
