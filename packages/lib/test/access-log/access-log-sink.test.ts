import { mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OrionError } from '@orion/error';
import { AccessLogSink } from '../../src/index.js';

describe('AccessLogSink', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'orion-sink-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('batches lines and writes them on flush, appending to the file', async () => {
    const file = path.join(dir, 'access.log');
    const sink = new AccessLogSink({ type: 'file', path: file }, { flushIntervalMs: 60_000 });
    sink.write('a\n');
    sink.write(Buffer.from('b\n'));
    await expect(readFile(file, 'utf8')).rejects.toThrow();
    await sink.flush();
    expect(await readFile(file, 'utf8')).toBe('a\nb\n');
    sink.write('c\n');
    await sink.close();
    expect(await readFile(file, 'utf8')).toBe('a\nb\nc\n');
    expect(sink.stats).toEqual({ lines: 3, bytesWritten: 6, dropped: 0, writeErrors: 0 });
  });

  it('flushes by itself within the flush interval', async () => {
    const file = path.join(dir, 'timed.log');
    const sink = new AccessLogSink({ type: 'file', path: file }, { flushIntervalMs: 20 });
    sink.write('tick\n');
    const deadline = Date.now() + 2000;
    let text = '';
    while (Date.now() < deadline) {
      text = await readFile(file, 'utf8').catch(() => '');
      if (text !== '') break;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(text).toBe('tick\n');
    await sink.close();
  });

  it('flushes early once the threshold is reached', async () => {
    const out = new PassThrough();
    const seen: string[] = [];
    out.on('data', (d: Buffer) => seen.push(d.toString()));
    const sink = new AccessLogSink({ type: 'stdout' }, { stdout: out, flushIntervalMs: 60_000, flushThresholdBytes: 8 });
    sink.write('12345\n');
    expect(seen).toEqual([]);
    sink.write('67890\n');
    await sink.flush();
    expect(seen.join('')).toBe('12345\n67890\n');
    await sink.close();
  });

  it('drops and counts lines beyond maxPendingBytes instead of growing without bound', async () => {
    const out = new PassThrough();
    const sink = new AccessLogSink({ type: 'stderr' }, { stderr: out, flushIntervalMs: 60_000, flushThresholdBytes: 1 << 20, maxPendingBytes: 10 });
    sink.write('123456\n');
    sink.write('123456\n');
    expect(sink.stats.dropped).toBe(1);
    await sink.close();
    expect(out.read()?.toString()).toBe('123456\n');
  });

  it('counts UTF-8 bytes of string lines for the threshold, the limit and bytesWritten', async () => {
    const file = path.join(dir, 'utf8.log');
    // 'é' and '€' are 2 and 3 bytes in UTF-8: 'é€\n' is 6 bytes for 3 UTF-16 code units.
    const sink = new AccessLogSink({ type: 'file', path: file }, { flushIntervalMs: 60_000, flushThresholdBytes: 1 << 20, maxPendingBytes: 15 });
    sink.write('é€\n');
    sink.write(Buffer.from('ab\n'));
    sink.write('é€\n');
    sink.write('x');
    expect(sink.stats.dropped).toBe(1);
    await sink.close();
    expect(await readFile(file, 'utf8')).toBe('é€\nab\né€\n');
    expect(sink.stats).toEqual({ lines: 3, bytesWritten: 15, dropped: 1, writeErrors: 0 });
  });

  it('reopens the file after rotation', async () => {
    const file = path.join(dir, 'rot.log');
    const sink = new AccessLogSink({ type: 'file', path: file }, { flushIntervalMs: 60_000 });
    await sink.open();
    sink.write('before\n');
    await sink.flush();
    await rename(file, `${file}.1`);
    sink.write('after\n');
    await sink.reopen();
    sink.write('new\n');
    await sink.close();
    expect(await readFile(`${file}.1`, 'utf8')).toBe('before\nafter\n');
    expect(await readFile(file, 'utf8')).toBe('new\n');
  });

  it('reports an unwritable path as an OrionError at open()', async () => {
    const sink = new AccessLogSink({ type: 'file', path: path.join(dir, 'missing', 'x.log') });
    const err: unknown = await sink.open().catch((e: unknown) => e);
    expect(OrionError.is(err, 'ORION_ERR_LIB_ACCESS_LOG_OPEN')).toBe(true);
    await sink.close();
  });

  it('ignores writes after close', async () => {
    const out = new PassThrough();
    const sink = new AccessLogSink({ type: 'stdout' }, { stdout: out });
    await sink.close();
    sink.write('late\n');
    await sink.flush();
    expect(sink.stats.lines).toBe(0);
  });
});
