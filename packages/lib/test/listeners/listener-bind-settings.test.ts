import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OrionError } from '@orion/error';
import { afterEach, describe, expect, it } from 'vitest';
import { LibErrorCode } from '../../src/error-codes.js';
import { listenerListenOptions, ListenerManager } from '../../src/listeners/index.js';
import { listener, tcp } from './listener-config.js';

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function manager(reusePort: boolean): ListenerManager {
  const m = new ListenerManager({ onConnection: (socket) => socket.end(), reusePort });
  cleanups.push(() => m.destroy());
  return m;
}

/** Whether this Node binds a second `reusePort` socket to a taken port (Node ≥ 22.12 on Linux). */
async function nodeHonoursReusePort(): Promise<boolean> {
  const servers: Server[] = [createServer(), createServer()];
  try {
    const [first, second] = servers as [Server, Server];
    await new Promise<void>((resolve, reject) => {
      first.once('error', reject);
      first.listen({ host: '127.0.0.1', port: 0, reusePort: true } as object, resolve);
    });
    const port = (first.address() as AddressInfo).port;
    return await new Promise<boolean>((resolve) => {
      second.once('error', () => resolve(false));
      second.listen({ host: '127.0.0.1', port, reusePort: true } as object, () => resolve(true));
    });
  } finally {
    for (const s of servers) if (s.listening) s.close();
  }
}

describe('listenerListenOptions', () => {
  it('asks for SO_REUSEPORT and an own handle for TCP listeners only when told to', () => {
    expect(listenerListenOptions(listener('l'))).not.toHaveProperty('reusePort');
    expect(listenerListenOptions(listener('l'), { reusePort: true })).toMatchObject({ host: '127.0.0.1', port: 0, reusePort: true, exclusive: true });
    const pipe = listener('p', { address: { type: 'pipe', path: '/tmp/x.sock', mode: 0 } });
    expect(listenerListenOptions(pipe, { reusePort: true })).toEqual({ path: '/tmp/x.sock', backlog: 128 });
  });
});

describe('ListenerManager with reusePort', () => {
  it('binds a second socket to a port another manager listens on where Node honours reusePort, and fails otherwise', async () => {
    const honoured = await nodeHonoursReusePort();
    const first = manager(true);
    await first.apply([listener('l')]);
    const port = (first.addresses().get('l') as { port: number }).port;
    const second = manager(true);
    const result = await second.apply([listener('l', { address: tcp('127.0.0.1', port) })]).catch((err: unknown) => err);
    if (honoured) expect(result).toMatchObject({ added: ['l'] });
    else expect(OrionError.is(result, LibErrorCode.LISTENER_BIND)).toBe(true);
  });
});

describe('ListenerManager with a Unix socket path', () => {
  it('removes a stale socket file but leaves one something listens on', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'orion-pipe-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const path = join(dir, 'l.sock');
    const pipe = listener('p', { address: { type: 'pipe', path, mode: 0 } });

    const live = createServer();
    await new Promise<void>((r) => live.listen(path, r));
    const failure = await manager(false).apply([pipe]).catch((err: unknown) => err);
    expect(OrionError.is(failure, LibErrorCode.LISTENER_BIND)).toBe(true);
    expect((await stat(path)).isSocket()).toBe(true);
    await new Promise<void>((resolve, reject) => {
      const probe = connect(path, () => {
        probe.destroy();
        resolve();
      });
      probe.once('error', reject);
    });
    await new Promise<void>((r) => live.close(() => r()));

    // A socket file left behind by a process that was killed: nothing accepts on it.
    const child = spawn(process.execPath, ['-e', `require('node:net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((r) => child.stdout.once('data', r));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect((await stat(path)).isSocket()).toBe(true);
    expect(await manager(false).apply([pipe])).toMatchObject({ added: ['p'] });
  });
});
