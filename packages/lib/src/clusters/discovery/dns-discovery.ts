import { isIP } from 'node:net';
import type { ClusterLoadAssignment, DnsSettings, HealthStatus, Locality } from '@orion/configuration';
import { OrionError } from '@orion/error';
import { LibErrorCode } from '../../error-codes.js';
import type { ClusterCounters } from '../cluster-counters.js';
import type { DnsResolver } from '../dns-resolver.js';
import type { HostSpec } from '../upstream-host.js';
import { checkPort } from './load-assignment-hosts.js';

interface Target {
  readonly name: string;
  readonly port: number;
  readonly hostname: string;
  readonly weight: number;
  readonly priority: number;
  readonly locality: Locality | undefined;
  readonly healthStatus: HealthStatus;
  /** The last good answer; kept when a later resolution fails. */
  addresses: readonly string[];
}

/**
 * Host discovery of STRICT_DNS and LOGICAL_DNS clusters. Envoy: `type: STRICT_DNS` resolves every endpoint's name
 * and makes one host per address; `type: LOGICAL_DNS` resolves its single endpoint and uses the first address.
 * Names are resolved at start and again `dns_refresh_rate` after each round (default 5 s); a failed resolution keeps
 * that endpoint's last good addresses (`update_failure`), a successful one replaces them (`update_success`).
 * With `respect_dns_ttl` the next round comes after the smallest TTL of the answers instead (the refresh rate when
 * no answer carried one, e.g. names from `/etc/hosts`).
 */
export class DnsDiscovery {
  readonly #targets: Target[];
  readonly #settings: DnsSettings;
  readonly #logical: boolean;
  readonly #resolver: DnsResolver;
  readonly #counters: ClusterCounters;
  readonly #apply: (hosts: HostSpec[]) => void;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  /** The smallest TTL (s) of this round's answers, for `respect_dns_ttl`; 0: none. */
  #roundTtlS = 0;
  /** Settles after the first round of resolutions (successful or not). */
  readonly initialized: Promise<void>;

  constructor(
    assignment: ClusterLoadAssignment,
    settings: DnsSettings,
    logical: boolean,
    resolver: DnsResolver,
    counters: ClusterCounters,
    apply: (hosts: HostSpec[]) => void,
  ) {
    this.#settings = settings;
    this.#logical = logical;
    this.#resolver = resolver;
    this.#counters = counters;
    this.#apply = apply;
    this.#targets = [];
    for (const locality of assignment.localities) {
      for (const endpoint of locality.endpoints) {
        if (endpoint.address.type !== 'socket') {
          throw new OrionError(LibErrorCode.CLUSTER_INVALID, `DNS clusters cannot have pipe endpoints (${endpoint.address.path})`);
        }
        checkPort(endpoint.address.port);
        this.#targets.push({
          name: endpoint.address.host,
          port: endpoint.address.port,
          hostname: endpoint.hostname === '' ? endpoint.address.host : endpoint.hostname,
          weight: endpoint.loadBalancingWeight,
          priority: locality.priority,
          locality: locality.locality,
          healthStatus: endpoint.healthStatus,
          addresses: [],
        });
      }
    }
    if (logical && this.#targets.length !== 1) {
      throw new OrionError(LibErrorCode.CLUSTER_INVALID, `LOGICAL_DNS clusters need exactly one endpoint (found ${this.#targets.length})`);
    }
    this.initialized = this.#round();
  }

  /** Stops refreshing. */
  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async #round(): Promise<void> {
    this.#roundTtlS = 0;
    await Promise.all(this.#targets.map((t) => this.#resolve(t)));
    if (this.#closed) return;
    const hosts: HostSpec[] = [];
    for (const t of this.#targets) {
      const addresses = this.#logical ? t.addresses.slice(0, 1) : t.addresses;
      for (const ip of addresses) {
        hosts.push({
          address: { type: 'socket', host: ip, port: t.port },
          hostname: t.hostname,
          weight: t.weight,
          priority: t.priority,
          locality: t.locality,
          healthStatus: t.healthStatus,
        });
      }
    }
    this.#apply(hosts);
    const ttlMs = this.#roundTtlS * 1000;
    this.#timer = setTimeout(() => void this.#round(), ttlMs > 0 ? ttlMs : this.#settings.dnsRefreshRateMs);
    this.#timer.unref();
  }

  async #resolve(target: Target): Promise<void> {
    this.#counters.update_attempt++;
    if (isIP(target.name) !== 0) {
      target.addresses = [target.name];
      this.#counters.update_success++;
      return;
    }
    try {
      const resolver = this.#resolver;
      let found: readonly string[];
      if (this.#settings.respectDnsTtl && resolver.resolveWithTtl !== undefined) {
        const answer = await resolver.resolveWithTtl(target.name, this.#settings.dnsLookupFamily);
        found = answer.addresses;
        if (answer.ttlS > 0 && (this.#roundTtlS === 0 || answer.ttlS < this.#roundTtlS)) this.#roundTtlS = answer.ttlS;
      } else {
        found = await resolver.resolve(target.name, this.#settings.dnsLookupFamily);
      }
      if (this.#closed) return;
      target.addresses = found.filter((a) => isIP(a) !== 0);
      this.#counters.update_success++;
      if (target.addresses.length === 0) this.#counters.update_empty++;
    } catch {
      // Keep the last good addresses, as Envoy does.
      if (!this.#closed) this.#counters.update_failure++;
    }
  }
}
