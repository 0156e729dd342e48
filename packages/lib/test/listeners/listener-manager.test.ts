import { link, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OrionError } from '@orion/error';
import { afterEach, describe, expect, it } from 'vitest';
import { LibErrorCode } from '../../src/error-codes.js';
import { ListenerManager, type BoundAddress, type DrainingListener, type ListenerConnectionInfo } from '../../src/listeners/index.js';
import { anyChain, listener, tcp } from './listener-config.js';

interface Accepted {
  readonly socket: Socket;
  readonly info: ListenerConnectionInfo;
}

const managers: ListenerManager[] = [];
const clients: Socket[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await Promise.all(managers.splice(0).map((m) => m.destroy()));
});

/** A manager whose connections are collected (and answered with the chain name). */
function collecting(onDrain?: (l: DrainingListener) => void): { manager: ListenerManager; accepted: Accepted[]; next: () => Promise<Accepted> } {
  const accepted: Accepted[] = [];
  const waiters: ((a: Accepted) => void)[] = [];
  const manager = new ListenerManager({
    onConnection(socket, info) {
      socket.write(`${info.filterChain.name}\n`);
      const a = { socket, info };
      const w = waiters.shift();
      if (w !== undefined) w(a);
      else accepted.push(a);
    },
    ...(onDrain === undefined ? {} : { onDrain }),
  });
  managers.push(manager);
  const next = (): Promise<Accepted> => {
    const a = accepted.shift();
    return a !== undefined ? Promise.resolve(a) : new Promise((resolve) => waiters.push(resolve));
  };
  return { manager, accepted, next };
}

function port(address: BoundAddress | undefined): number {
  if (address?.type !== 'socket') throw new Error('not a TCP listener');
  return address.port;
}

/** Connects and resolves with the first line the server sends, or `closed` if it closes first. */
function dial(options: { port: number; host?: string } | { path: string }): Promise<{ socket: Socket; line: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(options as { port: number });
    clients.push(socket);
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      data += chunk;
      if (data.includes('\n')) resolve({ socket, line: data.slice(0, data.indexOf('\n')) });
    });
    socket.on('close', () => resolve({ socket, line: 'closed' }));
    socket.on('error', reject);
  });
}

function closed(socket: Socket): Promise<void> {
  return new Promise((resolve) => (socket.closed ? resolve() : socket.once('close', () => resolve())));
}

describe('ListenerManager', () => {
  it('listens on port 0, reports the bound address and hands over connections with their chain and id', async () => {
    const { manager, next } = collecting();
    const result = await manager.apply([listener('l1')]);
    expect(result.added).toEqual(['l1']);
    const address = manager.addresses().get('l1');
    expect(address).toMatchObject({ type: 'socket', host: '127.0.0.1', family: 'IPv4' });
    const a = await dial({ port: port(address) });
    const b = await dial({ port: port(address) });
    expect([a.line, b.line]).toEqual(['chain', 'chain']);
    const [first, second] = [await next(), await next()];
    expect(first.info.listener.name).toBe('l1');
    expect(second.info.connectionId).toBeGreaterThan(first.info.connectionId);
    expect(first.info.bufferLimitBytes).toBe(1_048_576);
    expect(first.socket.readableHighWaterMark).toBe(1_048_576);
    expect(first.socket.allowHalfOpen).toBe(true);
    expect(manager.get('l1')?.counters).toMatchObject({ downstream_cx_total: 2, downstream_cx_active: 2, downstream_cx_destroy: 0 });
    const gone = new Promise((r) => first.socket.once('close', r));
    first.socket.destroy();
    await gone;
    expect(manager.get('l1')?.counters).toMatchObject({ downstream_cx_active: 1, downstream_cx_destroy: 1 });
    expect(manager.get('l1')?.statPrefix).toBe('127.0.0.1_0');
  });

  it('closes connections no chain matches and counts no_filter_chain_match', async () => {
    const { manager } = collecting();
    await manager.apply([listener('l', { filterChains: [anyChain('only-80', 80)] })]);
    const c = await dial({ port: port(manager.addresses().get('l')) });
    expect(c.line).toBe('closed');
    expect(manager.get('l')?.counters).toMatchObject({ no_filter_chain_match: 1, downstream_cx_total: 0 });
  });

  it('uses the default filter chain when no chain matches', async () => {
    const { manager } = collecting();
    await manager.apply([listener('l', { filterChains: [anyChain('only-80', 80)], defaultFilterChain: anyChain('fallback') })]);
    expect((await dial({ port: port(manager.addresses().get('l')) })).line).toBe('fallback');
  });

  it('selects by the destination port of the connection', async () => {
    const { manager } = collecting();
    await manager.apply([listener('l', { filterChains: [anyChain('any')] })]);
    const p = port(manager.addresses().get('l'));
    await manager.apply([listener('l', { filterChains: [anyChain('any'), anyChain('mine', p)] })]);
    expect((await dial({ port: p })).line).toBe('mine');
  });

  it('listens on IPv6 loopback', async () => {
    const { manager } = collecting();
    await manager.apply([listener('v6', { address: tcp('::1') })]);
    const address = manager.addresses().get('v6');
    expect(address).toMatchObject({ type: 'socket', host: '::1', family: 'IPv6' });
    expect((await dial({ host: '::1', port: port(address) })).line).toBe('chain');
  });

  it('accepts IPv4 on [::] with ipv4_compat and matches the mapped peer against IPv4 prefixes', async () => {
    const { manager } = collecting();
    const v4Chain = { ...anyChain('v4'), match: { ...anyChain('v4').match, sourcePrefixRanges: [{ addressPrefix: '127.0.0.0', prefixLen: 8 }] } };
    await manager.apply([listener('dual', { address: tcp('::', 0, true), filterChains: [v4Chain], defaultFilterChain: anyChain('other') })]);
    const p = port(manager.addresses().get('dual'));
    expect((await dial({ host: '127.0.0.1', port: p })).line).toBe('v4');
    expect((await dial({ host: '::1', port: p })).line).toBe('other');
  });

  it('listens IPv6-only on [::] without ipv4_compat', async () => {
    const { manager } = collecting();
    await manager.apply([listener('v6only', { address: tcp('::', 0, false) })]);
    const p = port(manager.addresses().get('v6only'));
    await expect(dial({ host: '127.0.0.1', port: p })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('listens on a Unix socket, replacing a stale socket file and applying its mode', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'orion-listener-'));
    try {
      const path = join(dir, 'l.sock');
      // A stale socket file, as a crashed process leaves it: a hard link to a socket whose server is gone.
      const stale = createServer();
      const original = join(dir, 'original.sock');
      await new Promise<void>((r) => stale.listen(original, r));
      await link(original, path);
      await new Promise<void>((r) => stale.close(() => r()));
      expect((await stat(path)).isSocket()).toBe(true);
      await writeFile(join(dir, 'not-a-socket'), 'x');
      const { manager, next } = collecting();
      await manager.apply([listener('unix', { address: { type: 'pipe', path, mode: 0o600 } })]);
      expect(manager.addresses().get('unix')).toEqual({ type: 'pipe', path });
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      expect((await dial({ path })).line).toBe('chain');
      expect((await next()).info.filterChain.name).toBe('chain');
      await expect(manager.apply([listener('bad', { address: { type: 'pipe', path: join(dir, 'not-a-socket'), mode: 0 } })])).rejects.toSatisfy(
        (e: unknown) => OrionError.is(e, LibErrorCode.LISTENER_BIND),
      );
    } finally {
      await Promise.all(managers.splice(0).map((m) => m.destroy()));
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('registers listeners with bind_to_port false without listening', async () => {
    const { manager } = collecting();
    await manager.apply([listener('virtual', { bindToPort: false })]);
    expect(manager.get('virtual')?.address).toBeUndefined();
    expect(manager.addresses().size).toBe(0);
  });

  it('keeps the listening socket of an updated listener and drains its old connections', async () => {
    const drained: DrainingListener[] = [];
    const { manager, next } = collecting((l) => drained.push(l));
    await manager.apply([listener('l', { filterChains: [anyChain('v1')] }), listener('other')]);
    const p = port(manager.addresses().get('l'));
    const old = await dial({ port: p });
    expect(old.line).toBe('v1');
    const oldServerSide = await next();
    const result = await manager.apply([listener('l', { filterChains: [anyChain('v2')] }), listener('other')]);
    expect(result).toEqual({ added: [], updated: ['l'], removed: [], unchanged: ['other'] });
    expect(port(manager.addresses().get('l'))).toBe(p);
    expect(drained.map((d) => [d.name, d.config.filterChains[0]?.name, d.connections.size])).toEqual([['l', 'v1', 1]]);
    expect((await dial({ port: p })).line).toBe('v2');
    // The old connection is untouched until it ends.
    expect(oldServerSide.socket.destroyed).toBe(false);
    let done = false;
    void drained[0]?.drained.then(() => (done = true));
    old.socket.end();
    oldServerSide.socket.end();
    await drained[0]?.drained;
    expect(done).toBe(true);
    expect(manager.get('l')?.counters.downstream_cx_total).toBe(2);
  });

  it('stops listening on removed listeners', async () => {
    const { manager } = collecting();
    await manager.apply([listener('a'), listener('b')]);
    const p = port(manager.addresses().get('b'));
    const result = await manager.apply([listener('a')]);
    expect(result.removed).toEqual(['b']);
    expect(manager.get('b')).toBeUndefined();
    await expect(
      new Promise((resolve, reject) => {
        const s = connect({ port: p, host: '127.0.0.1' }, () => resolve(s));
        clients.push(s);
        s.on('error', reject);
      }),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('binds a changed address before releasing the old one, and changes nothing when binding fails', async () => {
    const { manager } = collecting();
    await manager.apply([listener('a'), listener('b')]);
    const before = manager.addresses();
    const taken = port(before.get('a'));
    const err = await manager.apply([listener('a'), listener('b', { address: tcp('127.0.0.1', taken) })]).catch((e: unknown) => e);
    expect(OrionError.is(err, LibErrorCode.LISTENER_BIND)).toBe(true);
    expect(String(err)).toContain(`127.0.0.1:${taken}`);
    expect(manager.addresses()).toEqual(before);
    expect((await dial({ port: port(before.get('b')) })).line).toBe('chain');
  });

  it('rejects duplicate names and bad filter chains without changing anything', async () => {
    const { manager } = collecting();
    await manager.apply([listener('a')]);
    await expect(manager.apply([listener('x'), listener('x')])).rejects.toSatisfy((e: unknown) => OrionError.is(e, LibErrorCode.LISTENER_DUPLICATE));
    const conflicting = listener('a', { filterChains: [anyChain('one', 80), anyChain('two', 80)] });
    const err = await manager.apply([conflicting]).catch((e: unknown) => e);
    expect(OrionError.is(err, LibErrorCode.FILTER_CHAIN_CONFLICT)).toBe(true);
    expect(String(err)).toContain('building listener "a"');
    expect(manager.get('a')?.config.filterChains[0]?.name).toBe('chain');
  });

  it('destroys the socket and counts the error when the handler throws', async () => {
    const manager = new ListenerManager({
      onConnection() {
        throw new Error('boom');
      },
    });
    managers.push(manager);
    await manager.apply([listener('l')]);
    expect((await dial({ port: port(manager.addresses().get('l')) })).line).toBe('closed');
    expect(manager.get('l')?.counters).toMatchObject({ downstream_cx_handler_error: 1, downstream_cx_active: 0 });
  });

  it('close() stops accepting and waits for open connections to end', async () => {
    const drained: string[] = [];
    const { manager, next } = collecting((l) => drained.push(l.name));
    await manager.apply([listener('l')]);
    const p = port(manager.addresses().get('l'));
    const c = await dial({ port: p });
    const serverSide = await next();
    let closedDone = false;
    const closing = manager.close().then(() => (closedDone = true));
    await new Promise((r) => setTimeout(r, 30));
    expect(closedDone).toBe(false);
    expect(drained).toEqual(['l']);
    serverSide.socket.end();
    c.socket.end();
    await closing;
    await expect(manager.apply([])).rejects.toSatisfy((e: unknown) => OrionError.is(e, LibErrorCode.MANAGER_CLOSED));
  });

  it('destroy() closes open connections at once, also when its signal aborts', async () => {
    const controller = new AbortController();
    const accepted: Socket[] = [];
    const manager = new ListenerManager({ onConnection: (s) => accepted.push(s), signal: controller.signal });
    managers.push(manager);
    await manager.apply([listener('l')]);
    const c = connect({ port: port(manager.addresses().get('l')), host: '127.0.0.1' });
    clients.push(c);
    c.on('error', () => undefined);
    await new Promise((r) => c.once('connect', r));
    const gone = closed(c);
    while (accepted.length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    await gone;
    expect(accepted[0]?.destroyed).toBe(true);
  });
});
