import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shared corpus of real configurations (`shared/corpus/orion-rust` beside the repository), found by walking up. */
export function corpusDirectory(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'shared', 'corpus', 'orion-rust');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('shared/corpus/orion-rust not found above the test directory');
    dir = parent;
  }
}
