import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startOrion, type OrionProcess } from './orion-process.js';
import { corpusDirectory } from '../../../tools/corpus-directory.mjs';
import { rewriteConfig, type ConfigRewrite } from './rewrite-config.js';

export { corpusDirectory as corpusDir } from '../../../tools/corpus-directory.mjs';

/** A running orion serving a configuration written to a temporary directory (also its working directory). */
export interface ServedConfig {
  readonly orion: OrionProcess;
  readonly dir: string;
  readonly configPath: string;
  stop(): Promise<void>;
}

/** Writes `text` to a temporary directory and serves it with `orion -c`, waiting until it is ready. */
export async function serveConfig(text: string, fileName = 'orion.yaml', extraArgs: readonly string[] = []): Promise<ServedConfig> {
  const dir = await mkdtemp(path.join(tmpdir(), 'orion-e2e-'));
  const configPath = path.join(dir, fileName);
  await writeFile(configPath, text);
  const orion = startOrion(['-c', configPath, ...extraArgs], { cwd: dir });
  try {
    await orion.waitForLine(/^orion: ready$/, 20_000);
  } catch (err) {
    await orion.stop('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    orion,
    dir,
    configPath,
    stop: async () => {
      await orion.stop('SIGTERM', 10_000);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Serves a corpus file moved onto the test's ports and upstreams. */
export async function serveCorpusFile(file: string, rewrite: ConfigRewrite, extraArgs: readonly string[] = []): Promise<ServedConfig> {
  const text = await readFile(path.join(corpusDirectory(), file), 'utf8');
  return serveConfig(rewriteConfig(text, rewrite), path.basename(file), extraArgs);
}
