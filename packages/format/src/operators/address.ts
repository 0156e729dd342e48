import type { AttemptedHost, FormatContext, SocketAddress } from '../format-context.js';
import { COMMAND_ONLY, PARAMS_OPTIONAL, nonEmptyStringOp, type Op, type OperatorDefinition } from './op.js';

type AddressSource = (ctx: FormatContext) => SocketAddress | undefined;

function isV6(a: SocketAddress): boolean {
  const v6 = a.isIPv6;
  return v6 === undefined ? a.address.indexOf(':') >= 0 : v6;
}

/** `10.0.0.1:443`, `[::1]:443`, or the bare address of a non-IP address (Envoy `Address::asString`). */
export function addressWithPort(a: SocketAddress): string {
  const port = a.port;
  if (port === undefined) return a.address;
  return isV6(a) ? `[${a.address}]:${port}` : `${a.address}:${port}`;
}

function parseIpv4(s: string): number | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let out = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out = out * 256 + n;
  }
  return out;
}

function parseIpv6(s: string): number[] | undefined {
  const zone = s.indexOf('%');
  const addr = zone >= 0 ? s.slice(0, zone) : s;
  const halves = addr.split('::');
  if (halves.length > 2) return undefined;
  const toGroups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const items = part.split(':');
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as string;
      if (item.includes('.') && i === items.length - 1) {
        const v4 = parseIpv4(item);
        if (v4 === undefined) return undefined;
        out.push(Math.floor(v4 / 65536), v4 % 65536);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(item)) return undefined;
        out.push(parseInt(item, 16));
      }
    }
    return out;
  };
  const head = toGroups(halves[0] as string);
  const tail = halves.length === 2 ? toGroups(halves[1] as string) : [];
  if (head === undefined || tail === undefined) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const fill = 8 - head.length - tail.length;
  if (fill < 1) return undefined;
  return [...head, ...new Array<number>(fill).fill(0), ...tail];
}

/** RFC 5952 text: lower-case hex, the longest run of two or more zero groups as `::`. */
function formatIpv6(groups: readonly number[]): string {
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (g: number | undefined): string => (g ?? 0).toString(16);
  if (bestStart < 0) return groups.map(hex).join(':');
  const head = groups.slice(0, bestStart).map(hex).join(':');
  const tail = groups.slice(bestStart + bestLen).map(hex).join(':');
  return `${head}::${tail}`;
}

/** The address masked to `prefix` bits in CIDR notation (`10.1.0.0/16`); the address unchanged when not IP. */
export function maskAddress(address: string, v6: boolean, prefix: number): string {
  if (!v6) {
    const ip = parseIpv4(address);
    if (ip === undefined || prefix > 32) return address;
    const keep = prefix === 0 ? 0 : Math.floor(ip / 2 ** (32 - prefix)) * 2 ** (32 - prefix);
    return `${Math.floor(keep / 16777216)}.${Math.floor(keep / 65536) % 256}.${Math.floor(keep / 256) % 256}.${keep % 256}/${prefix}`;
  }
  const groups = parseIpv6(address);
  if (groups === undefined) return address;
  const masked = groups.map((g, i) => {
    const bits = prefix - i * 16;
    if (bits >= 16) return g;
    if (bits <= 0) return 0;
    return g & (0xffff << (16 - bits)) & 0xffff;
  });
  return `${formatIpv6(masked)}/${prefix}`;
}

function withPortOp(source: AddressSource): OperatorDefinition {
  return {
    syntax: COMMAND_ONLY,
    create: () => {
      const f = (ctx: FormatContext): string | undefined => {
        const a = source(ctx);
        return a === undefined ? undefined : addressWithPort(a);
      };
      return { text: f, value: f };
    },
  };
}

function withoutPortOp(source: AddressSource): OperatorDefinition {
  return {
    syntax: PARAMS_OPTIONAL,
    create: (args) => {
      let prefix: number | undefined;
      if (args.param !== '') {
        if (!/^\d{1,3}$/.test(args.param) || Number(args.param) > 128) {
          args.fail(`invalid mask prefix length '${args.param}' for ${args.name}: expected 0-32 (IPv4) or 0-128 (IPv6)`);
        }
        prefix = Number(args.param);
      }
      let lastIn: SocketAddress | undefined;
      let lastAddress = '';
      let lastOut = '';
      const f = (ctx: FormatContext): string | undefined => {
        const a = source(ctx);
        if (a === undefined) return undefined;
        if (prefix === undefined || a.port === undefined) return a.address;
        if (a === lastIn && a.address === lastAddress) return lastOut;
        lastIn = a;
        lastAddress = a.address;
        lastOut = maskAddress(a.address, isV6(a), prefix);
        return lastOut;
      };
      return { text: f, value: f };
    },
  };
}

function portOp(source: AddressSource): OperatorDefinition {
  return {
    syntax: COMMAND_ONLY,
    create: (): Op => ({
      // A non-IP address has no port: Envoy prints an empty string, and null in typed JSON.
      text: (ctx) => {
        const a = source(ctx);
        return a === undefined ? undefined : a.port === undefined ? '' : String(a.port);
      },
      value: (ctx) => source(ctx)?.port,
    }),
  };
}

function endpointIdOp(source: AddressSource): OperatorDefinition {
  return {
    syntax: COMMAND_ONLY,
    create: (): Op => ({
      text: (ctx) => {
        const a = source(ctx);
        return a === undefined ? undefined : (a.endpointId ?? '');
      },
      value: (ctx) => source(ctx)?.endpointId,
    }),
  };
}

/** Envoy `HeaderUtility::stripPortFromHost`: drops a trailing `:port` unless the host is a bare IPv6 address. */
export function stripPortFromHost(host: string): string {
  const colon = host.lastIndexOf(':');
  if (colon < 0) return host;
  const port = host.slice(colon + 1);
  if (port === '' || !/^\d+$/.test(port)) return host;
  if (host.indexOf(':') !== colon && host[colon - 1] !== ']') return host;
  return host.slice(0, colon);
}

function attempted(ctx: FormatContext): readonly AttemptedHost[] | undefined {
  const hosts = ctx.upstreamHostsAttempted;
  return hosts === undefined || hosts.length === 0 ? undefined : hosts;
}

function joinHosts(ctx: FormatContext, each: (h: AttemptedHost) => string | undefined): string | undefined {
  const hosts = attempted(ctx);
  if (hosts === undefined) return undefined;
  const out: string[] = [];
  for (const h of hosts) {
    const v = each(h);
    if (v !== undefined && v !== '') out.push(v);
  }
  return out.length === 0 ? undefined : out.join(',');
}

const upstreamLocal: AddressSource = (c) => c.upstreamLocalAddress;
const upstreamRemote: AddressSource = (c) => c.upstreamRemoteAddress;
const downstreamLocal: AddressSource = (c) => c.downstreamLocalAddress;
const downstreamDirectLocal: AddressSource = (c) => c.downstreamDirectLocalAddress ?? c.downstreamLocalAddress;
const downstreamRemote: AddressSource = (c) => c.downstreamRemoteAddress;
const downstreamDirectRemote: AddressSource = (c) => c.downstreamDirectRemoteAddress ?? c.downstreamRemoteAddress;

function hostName(ctx: FormatContext): string | undefined {
  const host = ctx.upstreamHost;
  const name = ctx.upstreamHostName;
  if (name !== undefined && name !== '') return name;
  return host === undefined ? undefined : addressWithPort(host);
}

/** Address, port and upstream-host operators. */
export const ADDRESS_OPERATORS: Readonly<Record<string, OperatorDefinition>> = {
  UPSTREAM_HOST: withPortOp((c) => c.upstreamHost),
  UPSTREAM_HOST_NAME: { syntax: COMMAND_ONLY, create: () => nonEmptyStringOp(hostName) },
  UPSTREAM_HOST_NAME_WITHOUT_PORT: {
    syntax: COMMAND_ONLY,
    create: () =>
      nonEmptyStringOp((c) => {
        const name = c.upstreamHostName;
        if (name !== undefined && name !== '') return stripPortFromHost(name);
        return c.upstreamHost?.address;
      }),
  },
  UPSTREAM_LOCAL_ADDRESS: withPortOp(upstreamLocal),
  UPSTREAM_LOCAL_ADDRESS_WITHOUT_PORT: withoutPortOp(upstreamLocal),
  UPSTREAM_LOCAL_PORT: portOp(upstreamLocal),
  UPSTREAM_REMOTE_ADDRESS: withPortOp(upstreamRemote),
  UPSTREAM_REMOTE_ADDRESS_WITHOUT_PORT: withoutPortOp(upstreamRemote),
  UPSTREAM_REMOTE_PORT: portOp(upstreamRemote),
  UPSTREAM_REMOTE_ADDRESS_ENDPOINT_ID: endpointIdOp(upstreamRemote),
  DOWNSTREAM_LOCAL_ADDRESS: withPortOp(downstreamLocal),
  DOWNSTREAM_LOCAL_ADDRESS_WITHOUT_PORT: withoutPortOp(downstreamLocal),
  DOWNSTREAM_LOCAL_PORT: portOp(downstreamLocal),
  DOWNSTREAM_LOCAL_ADDRESS_ENDPOINT_ID: endpointIdOp(downstreamLocal),
  DOWNSTREAM_DIRECT_LOCAL_ADDRESS: withPortOp(downstreamDirectLocal),
  DOWNSTREAM_DIRECT_LOCAL_ADDRESS_WITHOUT_PORT: withoutPortOp(downstreamDirectLocal),
  DOWNSTREAM_DIRECT_LOCAL_PORT: portOp(downstreamDirectLocal),
  DOWNSTREAM_DIRECT_LOCAL_ADDRESS_ENDPOINT_ID: endpointIdOp(downstreamDirectLocal),
  DOWNSTREAM_REMOTE_ADDRESS: withPortOp(downstreamRemote),
  DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT: withoutPortOp(downstreamRemote),
  DOWNSTREAM_REMOTE_PORT: portOp(downstreamRemote),
  DOWNSTREAM_DIRECT_REMOTE_ADDRESS: withPortOp(downstreamDirectRemote),
  DOWNSTREAM_DIRECT_REMOTE_ADDRESS_WITHOUT_PORT: withoutPortOp(downstreamDirectRemote),
  DOWNSTREAM_DIRECT_REMOTE_PORT: portOp(downstreamDirectRemote),
  UPSTREAM_HOSTS_ATTEMPTED: {
    syntax: COMMAND_ONLY,
    create: () => nonEmptyStringOp((c) => joinHosts(c, (h) => (h.address === undefined ? undefined : addressWithPort(h.address)))),
  },
  UPSTREAM_HOSTS_ATTEMPTED_WITHOUT_PORT: {
    syntax: COMMAND_ONLY,
    create: () => nonEmptyStringOp((c) => joinHosts(c, (h) => h.address?.address)),
  },
  UPSTREAM_HOST_NAMES_ATTEMPTED: {
    syntax: COMMAND_ONLY,
    create: () =>
      nonEmptyStringOp((c) =>
        joinHosts(c, (h) => (h.hostname !== undefined && h.hostname !== '' ? h.hostname : h.address === undefined ? undefined : addressWithPort(h.address))),
      ),
  },
  UPSTREAM_HOST_NAMES_ATTEMPTED_WITHOUT_PORT: {
    syntax: COMMAND_ONLY,
    create: () =>
      nonEmptyStringOp((c) =>
        joinHosts(c, (h) => (h.hostname !== undefined && h.hostname !== '' ? stripPortFromHost(h.hostname) : h.address?.address)),
      ),
  },
};
