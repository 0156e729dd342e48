// An experiment, not a product: how much of a Node proxy's per-request CPU the node:http and undici layers cost.
// A reverse proxy whose downstream and upstream sides can each be node:http / undici (as in minimal-proxy.mjs and
// Orion) or a lean codec on net + Node's native HTTP parser (the llhttp binding node:http itself uses, from the
// undocumented `node:_http_common`, fed straight from the socket handle with parser.consume()). It handles what
// the benchmark sends — GET/HEAD without request bodies; content-length or chunked responses — and skips what a
// real proxy needs (timeouts, backpressure, aborts, error replies), so its figures are a ceiling. layers.mjs runs it.
//
//   node bench/http/lean-proxy.mjs --origin http://127.0.0.1:PORT --down lean|node --up lean|undici [--no-consume]
import { Buffer } from 'node:buffer';
import { createConnection, createServer } from 'node:net';
import { createServer as createHttpServer, STATUS_CODES } from 'node:http';
import { HTTPParser, methods } from 'node:_http_common';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    origin: { type: 'string' },
    port: { type: 'string', default: '0' },
    down: { type: 'string', default: 'lean' },
    up: { type: 'string', default: 'lean' },
    'no-consume': { type: 'boolean', default: false },
  },
});
const consume = !values['no-consume'];
const originUrl = new URL(values.origin);
const kOnHeadersComplete = HTTPParser.kOnHeadersComplete;
const kOnBody = HTTPParser.kOnBody;
const kOnMessageComplete = HTTPParser.kOnMessageComplete;
const kOnExecute = HTTPParser.kOnExecute;
const HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te']);

function feed(socket, parser) {
  if (consume) {
    const start = () => parser.consume(socket._handle);
    if (socket.connecting) socket.once('connect', start);
    else start();
    parser[kOnExecute] = (ret) => {
      if (ret instanceof Error) socket.destroy();
    };
  } else {
    socket.on('data', (d) => {
      if (parser.execute(d) instanceof Error) socket.destroy();
    });
  }
}

// ---------------- upstream: lean ----------------
const idle = [];
class LeanUpstreamConnection {
  constructor() {
    this.handler = undefined;
    this.socket = createConnection({ host: originUrl.hostname, port: Number(originUrl.port), noDelay: true });
    const parser = new HTTPParser();
    parser.initialize(HTTPParser.RESPONSE, {}, 0, 0);
    parser[kOnHeadersComplete] = (_a, _b, headers, _m, _u, status, _s, _up, keepAlive) => {
      this.keepAlive = keepAlive;
      return this.handler.onHeaders(status, headers);
    };
    parser[kOnBody] = (b) => this.handler.onData(b);
    parser[kOnMessageComplete] = () => {
      const h = this.handler;
      this.handler = undefined;
      if (this.keepAlive) idle.push(this);
      else this.socket.destroy();
      h.onComplete();
    };
    feed(this.socket, parser);
    this.socket.on('error', () => {});
    this.socket.on('close', () => {
      const i = idle.indexOf(this);
      if (i >= 0) idle.splice(i, 1);
      this.handler?.onError();
    });
  }
}
function leanSend(method, url, headers, handler) {
  let head = `${method} ${url} HTTP/1.1\r\n`;
  for (let i = 0; i < headers.length; i += 2) head += `${headers[i]}: ${headers[i + 1]}\r\n`;
  head += '\r\n';
  const c = idle.pop() ?? new LeanUpstreamConnection();
  c.handler = handler;
  c.socket.write(head, 'latin1');
}

// ---------------- upstream: undici ----------------
let undiciSend;
if (values.up === 'undici') {
  const require = createRequire(new URL('../../packages/lib/package.json', import.meta.url));
  const { Pool } = require('undici');
  const pool = new Pool(values.origin, { connections: 1024, pipelining: 1, keepAliveTimeout: 3_600_000, keepAliveMaxTimeout: 3_600_000, headersTimeout: 0, bodyTimeout: 0 });
  undiciSend = (method, url, headers, handler) => {
    pool.dispatch(
      { path: url, method, headers },
      {
        onConnect() {},
        onHeaders(status, raw) {
          const flat = new Array(raw.length);
          for (let i = 0; i < raw.length; i++) flat[i] = raw[i].latin1Slice(0, raw[i].length);
          handler.onHeaders(status, flat);
          return true;
        },
        onData(b) {
          handler.onData(b);
          return true;
        },
        onComplete() {
          handler.onComplete();
        },
        onError() {
          handler.onError();
        },
      },
    );
  };
}
const send = values.up === 'lean' ? leanSend : undiciSend;

function upstreamHeaders(headers) {
  const out = [];
  for (let i = 0; i < headers.length; i += 2) if (!HOP.has(headers[i].toLowerCase())) out.push(headers[i], headers[i + 1]);
  return out;
}

// ---------------- downstream: lean ----------------
class LeanExchange {
  constructor(socket, method, keepAlive) {
    this.socket = socket;
    this.method = method;
    this.keepAlive = keepAlive;
    this.head = undefined;
    this.chunked = false;
  }
  onHeaders(status, headers) {
    let head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n`;
    let chunked = true;
    for (let i = 0; i < headers.length; i += 2) {
      const lower = headers[i].toLowerCase();
      if (HOP.has(lower)) continue;
      if (lower === 'content-length') chunked = false;
      head += `${headers[i]}: ${headers[i + 1]}\r\n`;
    }
    if (chunked) head += 'transfer-encoding: chunked\r\n';
    head += this.keepAlive ? 'connection: keep-alive\r\n\r\n' : 'connection: close\r\n\r\n';
    this.chunked = chunked;
    this.head = head;
    return this.method === 'HEAD' ? 1 : 0;
  }
  onData(b) {
    const socket = this.socket;
    if (this.head !== undefined) {
      if (!this.chunked && b.length <= 4096) {
        socket.write(this.head + b.latin1Slice(0, b.length), 'latin1');
        this.head = undefined;
        return;
      }
      socket.write(this.head, 'latin1');
      this.head = undefined;
    }
    if (this.chunked) socket.write(`${b.length.toString(16)}\r\n`, 'latin1');
    socket.write(Buffer.from(b));
    if (this.chunked) socket.write('\r\n', 'latin1');
  }
  onComplete() {
    let tail = this.head ?? '';
    this.head = undefined;
    if (this.chunked) tail += '0\r\n\r\n';
    if (tail !== '') this.socket.write(tail, 'latin1');
    if (!this.keepAlive) this.socket.end();
  }
  onError() {
    this.socket.destroy();
  }
}
function leanConnection(socket) {
  const parser = new HTTPParser();
  parser.initialize(HTTPParser.REQUEST, {}, 0, 0);
  parser[kOnHeadersComplete] = (_a, _b, headers, method, url, _s, _m, _up, keepAlive) => {
    const name = methods[method];
    send(name, url, upstreamHeaders(headers), new LeanExchange(socket, name, keepAlive));
    return 0;
  };
  parser[kOnBody] = () => {};
  parser[kOnMessageComplete] = () => {};
  feed(socket, parser);
  socket.on('error', () => {});
}

// ---------------- downstream: node:http ----------------
class NodeExchange {
  constructor(res) {
    this.res = res;
  }
  onHeaders(status, headers) {
    this.res.writeHead(status, upstreamHeaders(headers));
    return 0;
  }
  onData(b) {
    this.res.write(b);
  }
  onComplete() {
    this.res.end();
  }
  onError() {
    this.res.destroy();
  }
}

const server =
  values.down === 'lean'
    ? createServer({ noDelay: true }, leanConnection)
    : createHttpServer({ keepAliveTimeout: 3_600_000 }, (req, res) => send(req.method, req.url, upstreamHeaders(req.rawHeaders), new NodeExchange(res)));
server.listen(Number(values.port), '127.0.0.1', () => process.stdout.write(`listening ${server.address().port}\n`));
process.once('SIGTERM', () => process.exit(0));
