export { runCli } from './run-cli.js';
export type { CliIo } from './run-cli.js';
export { ORION_VERSION } from './version.js';
