import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { TYPE_URL, TestControlPlane, cluster, clusterLoadAssignment } from '../../src/control-plane/index.js';
import { watchClusters } from './readme-example.js';

describe('the @orion/xds README example', () => {
  let cp: TestControlPlane | undefined;
  afterEach(async () => {
    await cp?.stop();
    cp = undefined;
  });

  it('is the code in readme-example.ts, verbatim', () => {
    const readme = readFileSync(new URL('../../../packages/xds/README.md', import.meta.url), 'utf8');
    const example = readFileSync(new URL('./readme-example.ts', import.meta.url), 'utf8');
    const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBe(example);
  });

  it('runs against the test control plane', async () => {
    cp = await TestControlPlane.start();
    const lines: string[] = [];
    const controller = new AbortController();
    const done = watchClusters(cp.address, controller.signal, (line) => lines.push(line));
    const stream = await cp.nextDeltaStream();
    await stream.nextRequest();
    stream.send({ typeUrl: TYPE_URL.cluster, resources: [{ name: 'backend', version: 'v1', message: cluster('backend', 2000) }] });
    const first = [await stream.nextRequest(), await stream.nextRequest()];
    expect(first).toContainEqual(expect.objectContaining({ typeUrl: TYPE_URL.endpoint, resourceNamesSubscribe: ['backend'] }));
    expect(first).toContainEqual(expect.objectContaining({ typeUrl: TYPE_URL.cluster, responseNonce: 'n1' }));
    stream.send({ typeUrl: TYPE_URL.endpoint, resources: [{ name: 'backend', version: 'e1', message: clusterLoadAssignment('backend', [8080, 8081]) }] });
    await stream.nextRequest();
    stream.send({ typeUrl: TYPE_URL.cluster, resources: [], removed: ['backend'] });
    const replies = [await stream.nextRequest(), await stream.nextRequest()];
    expect(replies).toContainEqual(expect.objectContaining({ typeUrl: TYPE_URL.cluster, responseNonce: 'n3' }));
    expect(replies).toContainEqual(expect.objectContaining({ typeUrl: TYPE_URL.endpoint, resourceNamesUnsubscribe: ['backend'] }));
    controller.abort();
    await done;
    expect(lines).toEqual(['cluster backend version v1, connect timeout 2s', 'endpoints of backend: 2', 'cluster backend removed']);
    expect(stream.clientClosed).toBe(true);
  });
});
