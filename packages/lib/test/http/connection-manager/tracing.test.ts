import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { h2request, h2session } from './h2-client.js';
import { startProxy, startUpstream, until } from './harness.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()?.();
});

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';
const TRACING = { clientSamplingPercent: 100, randomSamplingPercent: 100, overallSamplingPercent: 100 };

async function setup(tracing: typeof TRACING | undefined) {
  const seen: IncomingHttpHeaders[] = [];
  const upstream = await startUpstream((req, res) => {
    seen.push(req.headers);
    res.end('ok');
  });
  const proxy = await startProxy({ upstreamPort: upstream.port, config: tracing === undefined ? {} : { tracing }, logFormat: '%TRACE_ID%\n' });
  cleanup.push(upstream.close, proxy.close);
  return { proxy, seen };
}

function get(port: number, headers: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/', headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve());
    });
    req.on('error', reject);
    req.end();
  });
}

describe('ConnectionManager trace propagation', () => {
  it.each([
    {
      format: 'W3C traceparent',
      incoming: { traceparent: `00-${TRACE}-${SPAN}-01`, tracestate: 'vendor=x' },
      read: (h: IncomingHttpHeaders) => {
        const [version, trace, span, flags] = String(h['traceparent']).split('-');
        return { trace, span, parent: undefined, extra: `${version} ${flags} ${String(h['tracestate'])}` };
      },
      extra: '00 01 vendor=x',
    },
    {
      format: 'B3 single',
      incoming: { b3: `${TRACE}-${SPAN}-1` },
      read: (h: IncomingHttpHeaders) => {
        const [trace, span, sampled, parent] = String(h['b3']).split('-');
        return { trace, span, parent, extra: sampled };
      },
      extra: '1',
    },
    {
      format: 'B3 multi',
      incoming: { 'x-b3-traceid': TRACE, 'x-b3-spanid': SPAN, 'x-b3-sampled': '1' },
      read: (h: IncomingHttpHeaders) => ({ trace: h['x-b3-traceid'], span: h['x-b3-spanid'], parent: h['x-b3-parentspanid'], extra: h['x-b3-sampled'] }),
      extra: '1',
    },
    {
      format: 'Jaeger',
      incoming: { 'uber-trace-id': `${TRACE}:${SPAN}:0:1` },
      read: (h: IncomingHttpHeaders) => {
        const [trace, span, parent, flags] = String(h['uber-trace-id']).split(':');
        return { trace, span, parent, extra: flags };
      },
      extra: '01',
    },
  ])('forwards $format with the same trace id and a new span id', async ({ incoming, read, extra }) => {
    const { proxy, seen } = await setup(TRACING);
    await get(proxy.port, incoming);
    const out = read(seen[0] as IncomingHttpHeaders);
    expect(out.trace).toBe(TRACE);
    expect(out.span).toMatch(/^[0-9a-f]{16}$/);
    expect(out.span).not.toBe(SPAN);
    if (out.parent !== undefined) expect(out.parent).toBe(SPAN);
    expect(out.extra).toBe(extra);
    await until(() => proxy.lines.length === 1);
    expect(proxy.lines[0]).toBe(TRACE);
  });

  it('starts a W3C trace when the request carries none, and packs the sampling decision into x-request-id', async () => {
    const { proxy, seen } = await setup(TRACING);
    await get(proxy.port, {});
    const traceparent = String(seen[0]?.['traceparent']);
    expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(String(seen[0]?.['x-request-id'])[14]).toBe('9');
    await until(() => proxy.lines.length === 1);
    expect(proxy.lines[0]).toBe(traceparent.split('-')[1]);
  });

  it('propagates over HTTP/2 as well', async () => {
    const { proxy, seen } = await setup(TRACING);
    const session = h2session(proxy.port);
    cleanup.push(() => void session.destroy());
    await h2request(session, { b3: `${TRACE}-${SPAN}-1` });
    expect(String(seen[0]?.['b3']).startsWith(`${TRACE}-`)).toBe(true);
    expect(String(seen[0]?.['b3']).endsWith(`-${SPAN}`)).toBe(true);
  });

  it('leaves trace headers untouched without HCM tracing', async () => {
    const { proxy, seen } = await setup(undefined);
    await get(proxy.port, { traceparent: `00-${TRACE}-${SPAN}-01` });
    expect(seen[0]?.['traceparent']).toBe(`00-${TRACE}-${SPAN}-01`);
    await get(proxy.port, {});
    expect(seen[1]?.['traceparent']).toBeUndefined();
  });
});
