import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { bootstrap, httpListener, staticCluster } from '../../src/orion/envoy-config.js';
import { freePort } from '../../src/orion/free-port.js';
import { serveConfig, type ServedConfig } from '../../src/orion/corpus.js';
import { accessLog, lineMatching } from './support.js';

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`status ${res.statusCode}`), { status: res.statusCode })));
    ws.once('error', reject);
  });
}

describe('WebSocket through orion with ws (e2e)', () => {
  let served: ServedConfig;
  let upstream: Server;
  let wss: WebSocketServer;
  let port: number;

  beforeAll(async () => {
    upstream = createServer((_req, res) => res.end('plain'));
    wss = new WebSocketServer({ server: upstream });
    wss.on('connection', (socket) => socket.on('message', (data: RawData, binary: boolean) => socket.send(data, { binary })));
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    port = await freePort();
    const routes = `                        - match: { prefix: /no-ws }
                          route: { cluster: ws, upgrade_configs: [{ upgrade_type: websocket, enabled: false }] }
                        - match: { prefix: / }
                          route: { cluster: ws }
`;
    const hcm = `                upgrade_configs: [{ upgrade_type: websocket }]
${accessLog('ws.log', '%REQ(:PATH)% %RESPONSE_CODE% %RESPONSE_CODE_DETAILS% %BYTES_RECEIVED% %BYTES_SENT%\n')}`;
    served = await serveConfig(bootstrap([httpListener('ws_in', port, routes, hcm)], [staticCluster('ws', [(upstream.address() as AddressInfo).port])]));
  });

  afterAll(async () => {
    await served?.stop();
    for (const c of wss?.clients ?? []) c.terminate();
    await new Promise<void>((r) => wss.close(() => r()));
    upstream.closeAllConnections();
    await new Promise<void>((r) => upstream.close(() => r()));
  });

  it('echoes text and binary messages through the tunnel', async () => {
    const ws = await open(`ws://127.0.0.1:${port}/chat`);
    const received: string[] = [];
    const all = new Promise<void>((resolve) =>
      ws.on('message', (data: RawData, binary: boolean) => {
        received.push(`${binary ? 'bin' : 'text'}:${Buffer.from(data as Buffer).toString('hex')}`);
        if (received.length === 2) resolve();
      }),
    );
    ws.send('hi orion');
    ws.send(Buffer.from([0, 255, 7]), { binary: true });
    await all;
    expect(received).toEqual([`text:${Buffer.from('hi orion').toString('hex')}`, 'bin:00ff07']);
    ws.close(1000);
    await new Promise<void>((r) => ws.once('close', () => r()));
    await lineMatching(`${served.dir}/ws.log`, /^\/chat 101 via_upstream \d+ \d+$/);
  });

  it('refuses a WebSocket on a route that disables upgrades with 403', async () => {
    await expect(open(`ws://127.0.0.1:${port}/no-ws`)).rejects.toMatchObject({ status: 403 });
    await lineMatching(`${served.dir}/ws.log`, /^\/no-ws 403 upgrade_failed 0 0$/);
  });
});
