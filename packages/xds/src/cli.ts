#!/usr/bin/env node
import { runXdsCli } from './run-xds-cli.js';

// The `orion-xds` binary: runs until SIGINT/SIGTERM, then closes the ADS stream gracefully.
const controller = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => controller.abort());
process.exitCode = await runXdsCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, signal: controller.signal });
