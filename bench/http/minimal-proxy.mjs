// The baseline of the HTTP benchmark: about the least a correct Node.js reverse proxy does. node:http (or node:http2
// for h2c) downstream, one undici Pool to the origin upstream driven through `Pool.dispatch` with the legacy
// handler object (the cheapest undici API on Node 20), hop-by-hop headers dropped both ways, streaming bodies with
// backpressure, the upstream request aborted when the client goes away. No routing, logging or request ids.
//
//   node bench/http/minimal-proxy.mjs --origin http://127.0.0.1:8080 [--port 0] [--h2c]
//
// Prints `listening <port>` once it accepts connections. undici comes from @orion/lib's dependencies, so the
// benchmark needs nothing beyond the workspace's install.
import { createServer } from 'node:http';
import { createServer as createH2cServer } from 'node:http2';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const require = createRequire(new URL('../../packages/lib/package.json', import.meta.url));
const { Pool } = require('undici');

const { values } = parseArgs({
  options: { origin: { type: 'string' }, port: { type: 'string', default: '0' }, h2c: { type: 'boolean', default: false } },
});
if (values.origin === undefined) {
  process.stderr.write('usage: minimal-proxy.mjs --origin http://host:port [--port N] [--h2c]\n');
  process.exit(2);
}

const pool = new Pool(values.origin, {
  connections: 1024,
  pipelining: 1,
  keepAliveTimeout: 3_600_000,
  keepAliveMaxTimeout: 3_600_000,
  headersTimeout: 0,
  bodyTimeout: 0,
});

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'http2-settings']);

/** undici's legacy dispatch handler: one object per request, raw header buffers, no promise or emitter. */
class ProxyHandler {
  constructor(res, h2) {
    this.res = res;
    this.h2 = h2;
    this.abort = undefined;
    this.resume = undefined;
    this.onDrain = () => this.resume?.();
  }

  onConnect(abort) {
    this.abort = abort;
    // The client left while the request waited for a pooled connection.
    if (this.res.destroyed) abort(new Error('client closed'));
  }

  onHeaders(status, raw, resume) {
    this.resume = resume;
    const res = this.res;
    if (res.destroyed) return false;
    if (this.h2) {
      const out = {};
      for (let i = 0; i < raw.length; i += 2) {
        const name = raw[i].toString('latin1').toLowerCase();
        if (!HOP_BY_HOP.has(name)) out[name] = raw[i + 1].toString('latin1');
      }
      res.writeHead(status, out);
    } else {
      const out = [];
      for (let i = 0; i < raw.length; i += 2) {
        const name = raw[i].toString('latin1');
        if (!HOP_BY_HOP.has(name.toLowerCase())) out.push(name, raw[i + 1].toString('latin1'));
      }
      res.writeHead(status, out);
    }
    return true;
  }

  onData(chunk) {
    if (this.res.write(chunk)) return true;
    this.res.once('drain', this.onDrain);
    return false;
  }

  onComplete() {
    this.res.end();
  }

  onError() {
    const res = this.res;
    if (res.headersSent || res.destroyed) {
      res.destroy();
      return;
    }
    res.writeHead(502, { 'content-length': '0' });
    res.end();
  }
}

function onRequest(req, res, h2) {
  const raw = req.rawHeaders;
  const headers = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i];
    if (name.charCodeAt(0) === 58 /* ':' */) {
      if (name === ':authority') headers.push('host', raw[i + 1]);
      continue;
    }
    if (!HOP_BY_HOP.has(name.toLowerCase())) headers.push(name, raw[i + 1]);
  }
  const hasBody = req.headers['content-length'] !== undefined ? req.headers['content-length'] !== '0' : req.headers['transfer-encoding'] !== undefined;
  const handler = new ProxyHandler(res, h2);
  res.once('close', () => {
    if (!res.writableFinished) handler.abort?.(new Error('client closed'));
  });
  pool.dispatch({ path: req.url, method: req.method, headers, body: hasBody ? req : null }, handler);
}

const server = values.h2c ? createH2cServer((req, res) => onRequest(req, res, true)) : createServer({ keepAliveTimeout: 3_600_000 }, (req, res) => onRequest(req, res, false));
server.listen(Number(values.port), '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    server.close();
    if (typeof server.closeAllConnections === 'function') server.closeAllConnections();
    void pool.destroy().finally(() => process.exit(0));
  });
}
