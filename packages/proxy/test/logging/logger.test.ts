import { mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OrionError } from '@orion/error';
import { afterEach, describe, expect, it } from 'vitest';
import { ProxyErrorCode } from '../../src/error-codes.js';
import { fileLogDestination, streamLogDestination } from '../../src/logging/log-destination.js';
import { createLogger } from '../../src/logging/logger.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function capture(): { lines: string[]; destination: ReturnType<typeof streamLogDestination> } {
  const lines: string[] = [];
  return { lines, destination: streamLogDestination({ write: (t: string) => lines.push(t) }) };
}

const now = (): Date => new Date(Date.UTC(2026, 0, 1));

describe('createLogger', () => {
  it('writes records at or above the level of their component', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ logging: { level: 'warn', components: { config: 'debug' }, format: '%n %l %v' }, destination, now, pid: 1 });
    logger.info('dropped');
    logger.warn('kept');
    const config = logger.child('config');
    config.debug('detail');
    config.trace('dropped too');
    expect(lines).toEqual(['main warning kept\n', 'config debug detail\n']);
    expect(config.enabled('debug')).toBe(true);
    expect(logger.enabled('info')).toBe(false);
    expect(createLogger({ logging: { level: 'off', components: {} }, destination, now }).enabled('error')).toBe(false);
  });

  it('binds fields on children and merges the fields of each call', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ logging: { level: 'info', components: {}, format: 'json' }, destination, now, pid: 7, fields: { role: 'primary' } });
    logger.child('worker', { worker: 3 }).info('up', { port: 80 });
    expect(JSON.parse(lines[0] ?? '')).toEqual({ time: '2026-01-01T00:00:00.000Z', level: 'info', component: 'worker', pid: 7, message: 'up', role: 'primary', worker: 3, port: 80 });
  });

  it('appends to a log file and reopens it after rotation', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'orion-log-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const path = join(dir, 'orion.log');
    const destination = fileLogDestination(path);
    const logger = createLogger({ logging: { level: 'info', components: {}, format: '%v' }, destination, now });
    logger.info('before');
    await rename(path, `${path}.1`);
    logger.info('still to the rotated file');
    destination.reopen();
    logger.info('after');
    destination.close();
    expect(await readFile(`${path}.1`, 'utf8')).toBe('before\nstill to the rotated file\n');
    expect(await readFile(path, 'utf8')).toBe('after\n');
  });

  it('refuses a log file it cannot open', () => {
    let failure: unknown;
    try {
      fileLogDestination('/nonexistent-dir/orion.log');
    } catch (err) {
      failure = err;
    }
    expect(OrionError.is(failure, ProxyErrorCode.LOG_FILE)).toBe(true);
  });

  it('changes levels at run time for every logger of the process (admin /logging)', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ logging: { level: 'info', components: { config: 'debug' }, format: '%n %l %v' }, destination, now, pid: 1 });
    const dataplane = logger.child('dataplane');
    dataplane.debug('dropped');
    logger.setLevels({ components: { dataplane: 'debug' } });
    dataplane.debug('kept');
    expect(dataplane.level).toBe('debug');
    logger.setLevels({ level: 'warn' });
    expect(logger.levels()).toEqual({ level: 'warn', components: {} });
    logger.child('config').info('dropped after level=warn');
    dataplane.debug('dropped again');
    expect(lines).toEqual(['dataplane debug kept\n']);
  });
});
