import { promises as dns } from 'node:dns';
import type { DnsSettings } from '@orion/configuration';

/** Envoy's `dns_lookup_family`. */
export type DnsLookupFamily = DnsSettings['dnsLookupFamily'];

/**
 * Resolves host names for STRICT_DNS and LOGICAL_DNS clusters. Injectable (`ClusterManagerOptions.resolver`) so
 * tests and embedders can answer without a DNS server.
 */
export interface DnsResolver {
  /**
   * The IP addresses of `hostname` for `family`, in the resolver's order. Rejects when the name does not resolve.
   * Envoy: the cluster's DNS resolver with `dns_lookup_family`.
   */
  resolve(hostname: string, family: DnsLookupFamily): Promise<readonly string[]>;
}

/**
 * Picks the addresses `family` asks for from a mixed list. Envoy: `AUTO` uses IPv6 when there is any, else IPv4;
 * `V4_PREFERRED` the reverse; `ALL` keeps both; `V4_ONLY`/`V6_ONLY` one family.
 */
export function selectFamily(addresses: readonly { address: string; family: number }[], family: DnsLookupFamily): string[] {
  const v4 = addresses.filter((a) => a.family === 4).map((a) => a.address);
  const v6 = addresses.filter((a) => a.family === 6).map((a) => a.address);
  switch (family) {
    case 'v4Only':
      return v4;
    case 'v6Only':
      return v6;
    case 'auto':
      return v6.length > 0 ? v6 : v4;
    case 'v4Preferred':
      return v4.length > 0 ? v4 : v6;
    case 'all':
      return addresses.map((a) => a.address);
  }
}

/**
 * The system resolver: `dns.promises.lookup` (getaddrinfo, so `/etc/hosts` applies) with `all: true`, filtered
 * by {@link selectFamily}. An empty selection rejects with `ENOTFOUND`, as a failed lookup does.
 */
export const systemDnsResolver: DnsResolver = {
  async resolve(hostname, family) {
    const found = await dns.lookup(hostname, {
      all: true,
      family: family === 'v4Only' ? 4 : family === 'v6Only' ? 6 : 0,
      order: 'verbatim',
    });
    const selected = selectFamily(found, family);
    if (selected.length === 0) {
      throw Object.assign(new Error(`queryA ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
    }
    return selected;
  },
};
