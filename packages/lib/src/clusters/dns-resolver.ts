import { promises as dns, type RecordWithTtl } from 'node:dns';
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
  /**
   * The same, with the smallest TTL of the answer in seconds (0 when unknown): what `respect_dns_ttl` refreshes by.
   * Resolvers without it make `respect_dns_ttl` fall back to `dns_refresh_rate`.
   */
  resolveWithTtl?(hostname: string, family: DnsLookupFamily): Promise<ResolvedAddresses>;
}

/** Addresses with the smallest TTL of the DNS answer they came from. */
export interface ResolvedAddresses {
  readonly addresses: readonly string[];
  /** Seconds; 0 when the source gave none (`/etc/hosts`). */
  readonly ttlS: number;
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

function notFound(hostname: string): Error {
  return Object.assign(new Error(`queryA ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
}

/** `A`/`AAAA` records as `{ address, family }`, or none when the name has no record of that type. */
async function records(query: Promise<RecordWithTtl[]>, family: 4 | 6): Promise<{ address: string; family: number; ttl: number }[]> {
  try {
    return (await query).map((r) => ({ address: r.address, family, ttl: r.ttl }));
  } catch (err) {
    if ((err as { code?: string }).code === 'ENODATA') return [];
    throw err;
  }
}

/**
 * A resolver for STRICT_DNS / LOGICAL_DNS clusters. `resolve` is `dns.promises.lookup` (getaddrinfo, so `/etc/hosts`
 * applies) with `all: true`, filtered by {@link selectFamily}. `resolveWithTtl` (for `respect_dns_ttl`) asks DNS
 * servers directly for `A`/`AAAA` records with their TTLs — `servers` (`host:port`), else the system's — and falls
 * back to `resolve` (TTL 0) for names DNS does not know, such as `/etc/hosts` entries. An empty selection rejects
 * with `ENOTFOUND`, as a failed lookup does.
 */
export function createDnsResolver(options: { readonly servers?: readonly string[] } = {}): DnsResolver {
  let ares: dns.Resolver | undefined;
  const resolve = async (hostname: string, family: DnsLookupFamily): Promise<readonly string[]> => {
    const found = await dns.lookup(hostname, {
      all: true,
      family: family === 'v4Only' ? 4 : family === 'v6Only' ? 6 : 0,
      order: 'verbatim',
    });
    const selected = selectFamily(found, family);
    if (selected.length === 0) throw notFound(hostname);
    return selected;
  };
  return {
    resolve,
    async resolveWithTtl(hostname, family) {
      if (ares === undefined) {
        ares = new dns.Resolver();
        if (options.servers !== undefined) ares.setServers([...options.servers]);
      }
      const resolver = ares;
      let found: { address: string; family: number; ttl: number }[];
      try {
        const [v4, v6] = await Promise.all([
          family === 'v6Only' ? [] : records(resolver.resolve4(hostname, { ttl: true }), 4),
          family === 'v4Only' ? [] : records(resolver.resolve6(hostname, { ttl: true }), 6),
        ]);
        found = [...v4, ...v6];
      } catch (err) {
        if ((err as { code?: string }).code !== 'ENOTFOUND') throw err;
        found = [];
      }
      const selected = selectFamily(found, family);
      if (selected.length === 0) return { addresses: await resolve(hostname, family), ttlS: 0 };
      let ttlS = 0;
      for (const r of found) if (selected.includes(r.address) && (ttlS === 0 || (r.ttl > 0 && r.ttl < ttlS))) ttlS = r.ttl;
      return { addresses: selected, ttlS };
    },
  };
}

/** The system's resolver ({@link createDnsResolver} with the system's DNS servers). */
export const systemDnsResolver: DnsResolver = createDnsResolver();
