import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from '@orion/configuration';
import { OrionError } from '@orion/error';
import { compileRouteConfiguration, directResponse, RouterErrorCode, type DirectResponse } from '../../../src/http/router/index.js';
import { direct, forward, prefix, request, route, table, vhost } from './route-fixtures.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'orion-router-'));
  await writeFile(join(dir, 'body.txt'), 'Example text 3');
  await writeFile(join(dir, 'big.txt'), 'x'.repeat(5000));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function answer(status: number, body: DataSource | undefined, maxDirectResponseBodySizeBytes = 4096): Promise<DirectResponse | undefined> {
  const compiled = await compileRouteConfiguration(table([vhost('v', ['*'], [route(prefix('/'), direct(status, body))])], { maxDirectResponseBodySizeBytes }));
  const selection = compiled.select(request());
  return selection && directResponse(selection);
}

describe('directResponse', () => {
  // Envoy: route_components.proto DirectResponseAction, base.proto DataSource; config_impl_test.cc DirectResponse
  // ("Example text 3" from a file, "/no_body" answers an empty body).
  it.each([
    ['inline_string', { type: 'inlineString', value: 'Example text 1' }, 'Example text 1'],
    ['inline_bytes', { type: 'inlineBytes', base64: Buffer.from('Example text 2').toString('base64') }, 'Example text 2'],
    ['filename, read at compile time', (): DataSource => ({ type: 'file', path: join(dir, 'body.txt') }), 'Example text 3'],
    ['environment_variable', { type: 'environmentVariable', name: 'ORION_ROUTER_TEST_BODY' }, 'from env'],
    ['an empty inline body is no body', { type: 'inlineString', value: '' }, undefined],
  ] as const)('answers a body from %s', async (_name, source, text) => {
    process.env['ORION_ROUTER_TEST_BODY'] = 'from env';
    const resolved: DataSource = typeof source === 'function' ? source() : source;
    const res = await answer(200, resolved);
    expect(res?.status).toBe(200);
    expect(res?.body?.toString('utf8')).toBe(text);
  });

  it('answers the status alone without a body (DirectResponse "/no_body")', async () => {
    expect(await answer(503, undefined)).toMatchObject({ status: 503, body: undefined });
  });

  it.each([
    ['a missing file', (): DataSource => ({ type: 'file', path: join(dir, 'absent.txt') }), 4096],
    ['a file larger than max_direct_response_body_size_bytes', (): DataSource => ({ type: 'file', path: join(dir, 'big.txt') }), 4096],
    ['an inline body larger than the limit', (): DataSource => ({ type: 'inlineString', value: 'abcdef' }), 5],
    ['an unset environment variable', (): DataSource => ({ type: 'environmentVariable', name: 'ORION_ROUTER_TEST_UNSET_VARIABLE' }), 4096],
  ] as const)('refuses %s at compile time', async (_name, source, max) => {
    const err = await answer(200, source(), max).catch((e: unknown) => e);
    expect(OrionError.is(err, RouterErrorCode.DIRECT_RESPONSE_BODY)).toBe(true);
  });

  it('returns undefined for a route that forwards', async () => {
    const compiled = await compileRouteConfiguration(table([vhost('v', ['*'], [route(prefix('/'), forward('c'))])]));
    const selection = compiled.select(request());
    expect(selection && directResponse(selection)).toBeUndefined();
  });
});
