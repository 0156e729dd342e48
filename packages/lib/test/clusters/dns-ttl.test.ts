import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { ClusterManager } from '../../src/clusters/cluster-manager.js';
import { createDnsResolver } from '../../src/clusters/dns-resolver.js';
import { assignment, cluster } from './cluster-config.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** An `A` answer: the address and its TTL in seconds. */
interface ARecord {
  readonly address: string;
  readonly ttl: number;
}

/**
 * A real DNS server on 127.0.0.1 (UDP): answers `A` queries from `records` (NODATA for other types and unknown
 * names), and lists the names it was asked for.
 */
async function startDnsServer(records: Map<string, ARecord>): Promise<{ readonly port: number; readonly queries: string[] }> {
  const socket: UdpSocket = createSocket('udp4');
  const queries: string[] = [];
  socket.on('message', (query, peer) => {
    // Question: length-prefixed labels after the 12-byte header, then type and class.
    let at = 12;
    const labels: string[] = [];
    while (at < query.length && query[at] !== 0) {
      const length = query[at] as number;
      labels.push(query.toString('latin1', at + 1, at + 1 + length));
      at += 1 + length;
    }
    const questionEnd = at + 5;
    const name = labels.join('.');
    const type = query.readUInt16BE(at + 1);
    if (type === 1) queries.push(name);
    const record = type === 1 ? records.get(name) : undefined;
    const header = Buffer.alloc(12);
    query.copy(header, 0, 0, 2); // id
    header.writeUInt16BE(0x8180, 2); // a response, recursion desired and available, no error
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(record === undefined ? 0 : 1, 6);
    const parts = [header, query.subarray(12, questionEnd)];
    if (record !== undefined) {
      const answer = Buffer.alloc(16);
      answer.writeUInt16BE(0xc00c, 0); // the name, as a pointer to the question's
      answer.writeUInt16BE(1, 2); // A
      answer.writeUInt16BE(1, 4); // IN
      answer.writeUInt32BE(record.ttl, 6);
      answer.writeUInt16BE(4, 10);
      record.address.split('.').forEach((octet, i) => answer.writeUInt8(Number(octet), 12 + i));
      parts.push(answer);
    }
    socket.send(Buffer.concat(parts), peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  cleanup.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return { port: socket.address().port, queries };
}

function dnsCluster(host: string, respectDnsTtl: boolean) {
  return cluster('dns', {
    type: 'strictDns',
    loadAssignment: assignment([{ host, port: 8000 }]),
    dnsRefreshRateMs: 60_000,
    respectDnsTtl,
    dnsLookupFamily: 'v4Only',
  });
}

async function until(predicate: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('respect_dns_ttl', () => {
  it('re-resolves a STRICT_DNS name when its DNS TTL expires rather than every dns_refresh_rate, and follows the new answer', async () => {
    const records = new Map([['svc.test', { address: '127.0.0.2', ttl: 1 }]]);
    const dns = await startDnsServer(records);
    const m = ClusterManager.create([dnsCluster('svc.test', true)], { resolver: createDnsResolver({ servers: [`127.0.0.1:${dns.port}`] }) });
    cleanup.push(() => m.close());
    await m.ready();
    const c = m.get('dns');
    expect(c?.hosts.map((h) => h.label)).toEqual(['127.0.0.2:8000']);
    records.set('svc.test', { address: '127.0.0.3', ttl: 1 });
    const started = Date.now();
    // The TTL (1 s), not the 60 s refresh rate, brings the next resolution.
    await until(() => c?.hosts[0]?.label === '127.0.0.3:8000', 4000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(700);
    expect(dns.queries.filter((q) => q === 'svc.test').length).toBeGreaterThanOrEqual(2);
    expect(c?.counters.update_success).toBeGreaterThanOrEqual(2);
  });

  it('keeps dns_refresh_rate and the system lookup without respect_dns_ttl', async () => {
    const dns = await startDnsServer(new Map([['localhost', { address: '127.0.0.9', ttl: 1 }]]));
    const m = ClusterManager.create([dnsCluster('localhost', false)], { resolver: createDnsResolver({ servers: [`127.0.0.1:${dns.port}`] }) });
    cleanup.push(() => m.close());
    await m.ready();
    // getaddrinfo (/etc/hosts), not the DNS server and its 1 s TTL.
    expect(m.get('dns')?.hosts.map((h) => h.label)).toContain('127.0.0.1:8000');
    await new Promise((r) => setTimeout(r, 1500));
    expect(m.get('dns')?.counters.update_attempt).toBe(1);
    expect(dns.queries).toEqual([]);
  });

  it('falls back to the system lookup (and the refresh rate) for a name DNS does not know, such as localhost', async () => {
    const dns = await startDnsServer(new Map());
    const m = ClusterManager.create([dnsCluster('localhost', true)], { resolver: createDnsResolver({ servers: [`127.0.0.1:${dns.port}`] }) });
    cleanup.push(() => m.close());
    await m.ready();
    expect(m.get('dns')?.hosts.map((h) => h.label)).toContain('127.0.0.1:8000');
    expect(dns.queries).toEqual(['localhost']);
    await new Promise((r) => setTimeout(r, 1200));
    expect(m.get('dns')?.counters.update_attempt).toBe(1);
  });
});
