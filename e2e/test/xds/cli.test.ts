import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runXdsCli } from '@orion/xds';
import { afterEach, describe, expect, it } from 'vitest';
import { TYPE_URL, TestControlPlane, cluster, clusterLoadAssignment, corruptAny, httpListener, routeConfiguration } from '../../src/control-plane/index.js';
import { waitFor } from './harness.js';

const { cluster: CDS, listener: LDS, endpoint: EDS, route: RDS } = TYPE_URL;

/** Collects written text and waits for lines. */
class Lines {
  text = '';
  write(chunk: string | Uint8Array): boolean {
    this.text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }
  get lines(): string[] {
    return this.text.split('\n').filter((l) => l !== '');
  }
  async waitFor(line: string, timeoutMs = 5000): Promise<void> {
    await waitFor(() => this.lines.includes(line), timeoutMs, `the line "${line}" (have: ${JSON.stringify(this.lines)})`);
  }
}

describe('orion-xds watch', () => {
  let cp: TestControlPlane | undefined;
  afterEach(async () => {
    await cp?.stop();
    cp = undefined;
  });

  it('prints resources and versions as they change, following RDS/EDS references (SotW)', async () => {
    cp = await TestControlPlane.start();
    const stdout = new Lines();
    const stderr = new Lines();
    const controller = new AbortController();
    const exit = runXdsCli(['watch', '--server', cp.address, '--node-id', 'cli-node', '--node-cluster', 'debug'], { stdout, stderr, signal: controller.signal });
    const stream = await cp.nextSotwStream();
    const opening = [await stream.nextRequest(), await stream.nextRequest()];
    expect(opening.map((r) => r.typeUrl)).toEqual([CDS, LDS]);
    expect(opening[0]?.node).toMatchObject({ id: 'cli-node', cluster: 'debug' });

    stream.send({ typeUrl: CDS, versionInfo: 'c1', resources: [cluster('backend')] });
    await stdout.waitFor('CDS update backend version=c1');
    await stdout.waitFor('CDS ack version=c1 nonce=n1');
    expect((await stream.nextRequest()).responseNonce).toBe('n1');
    expect(await stream.nextRequest()).toMatchObject({ typeUrl: EDS, resourceNames: ['backend'] });

    stream.send({ typeUrl: EDS, versionInfo: 'e1', resources: [clusterLoadAssignment('backend')] });
    await stdout.waitFor('EDS update backend version=e1');
    await stream.nextRequest();

    stream.send({ typeUrl: LDS, versionInfo: 'l1', resources: [httpListener('http', 'routes')] });
    await stdout.waitFor('LDS update http version=l1');
    await stream.nextRequest();
    expect(await stream.nextRequest()).toMatchObject({ typeUrl: RDS, resourceNames: ['routes'] });
    stream.send({ typeUrl: RDS, versionInfo: 'r1', resources: [routeConfiguration('routes', 'backend')] });
    await stdout.waitFor('RDS update routes version=r1');
    await stream.nextRequest();

    stream.send({ typeUrl: CDS, versionInfo: 'c2', resources: [] });
    await stdout.waitFor('CDS remove backend version=c1 reason=removed');
    await stream.nextRequest();
    expect(await stream.nextRequest()).toMatchObject({ typeUrl: EDS, resourceNames: [] });

    controller.abort();
    expect(await exit).toBe(0);
    expect(stderr.text).toContain(`connected to ADS server ${cp.address} (sotw)`);
  });

  it('speaks delta with --delta, NACKs what it cannot decode and prints JSON with --json', async () => {
    cp = await TestControlPlane.start();
    const stdout = new Lines();
    const controller = new AbortController();
    const exit = runXdsCli(['watch', '--server', cp.address, '--node-id', 'cli-node', '--delta', '--json', '--resource', 'sds=cert'], {
      stdout,
      stderr: new Lines(),
      signal: controller.signal,
    });
    const stream = await cp.nextDeltaStream(10_000);
    const opening = [await stream.nextRequest(), await stream.nextRequest(), await stream.nextRequest()];
    expect(opening.map((r) => [r.typeUrl, r.resourceNamesSubscribe])).toEqual([
      [CDS, []],
      [LDS, []],
      [TYPE_URL.secret, ['cert']],
    ]);
    stream.send({ typeUrl: LDS, systemVersionInfo: 's1', resources: [{ name: 'http', version: 'l1', message: httpListener('http', 'routes', 10_080) }] });
    await waitFor(() => stdout.lines.some((l) => l.startsWith('{')), 5000, 'a JSON line');
    const json = JSON.parse(stdout.lines.find((l) => l.startsWith('{')) ?? '{}') as {
      type: string;
      name: string;
      resource: { address: unknown; filterChains: { filters: { typedConfig: { '@type': string; rds: { routeConfigName: string } } }[] }[] };
    };
    expect(json).toMatchObject({ type: 'LDS', event: 'update', name: 'http', version: 'l1' });
    expect(json.resource.filterChains[0]?.filters[0]?.typedConfig.rds.routeConfigName).toBe('routes');
    await stdout.waitFor('LDS ack version=s1 nonce=n1');

    stream.send({ typeUrl: CDS, resources: [{ name: 'broken', version: 'c1', message: corruptAny(CDS, 'broken') }] });
    await waitFor(() => stdout.lines.some((l) => l.startsWith('CDS reject broken: cannot decode')), 5000, 'the reject line');
    await stdout.waitFor('CDS nack version= nonce=n2');
    const replies = [await stream.nextRequest(), await stream.nextRequest(), await stream.nextRequest()];
    const nack = replies.find((r) => r.responseNonce === 'n2');
    expect(nack?.errorDetail?.message).toMatch(/^broken: cannot decode/);

    controller.abort();
    expect(await exit).toBe(0);
  });

  it('exits 2 with the usage on a bad command line', async () => {
    const stderr = new Lines();
    expect(await runXdsCli(['watch', '--node-id', 'x'], { stdout: new Lines(), stderr })).toBe(2);
    expect(stderr.text).toContain('--server is required');
    expect(stderr.text).toContain('Usage: orion-xds watch');
    expect(await runXdsCli(['watch', '--server', 'nowhere', '--node-id', 'x'], { stdout: new Lines(), stderr: new Lines() })).toBe(2);
    expect(await runXdsCli(['list'], { stdout: new Lines(), stderr: new Lines() })).toBe(2);
    const help = new Lines();
    expect(await runXdsCli(['--help'], { stdout: help, stderr: new Lines() })).toBe(0);
    expect(help.text).toContain('--delta');
  });

  it('runs as the built orion-xds binary and stops cleanly on SIGINT', async () => {
    const bin = fileURLToPath(new URL('../../../packages/xds/dist/cli.js', import.meta.url));
    expect(existsSync(bin), `${bin} is missing: build @orion/xds first (nx runs ^build before e2e tests)`).toBe(true);
    cp = await TestControlPlane.start();
    const child = spawn(process.execPath, [bin, 'watch', '--server', cp.address, '--node-id', 'bin-node', '--delta'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout = new Lines();
    child.stdout.on('data', (chunk: Buffer) => stdout.write(chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const stream = await cp.nextDeltaStream(10_000);
      expect((await stream.nextRequest()).node?.id).toBe('bin-node');
      stream.send({ typeUrl: CDS, resources: [{ name: 'c1', version: 'v1', message: cluster('c1') }] });
      await stdout.waitFor('CDS update c1 version=v1', 10_000);
      await stdout.waitFor('CDS ack version= nonce=n1');
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
