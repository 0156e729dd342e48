// Where the shared configuration corpus is: `shared/corpus/orion-rust` beside the repository (the layout of a
// developer checkout and of CI). Tests of every package use it; it is test support, not a package.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shared corpus of real configurations, found by walking up from this file. */
export function corpusDirectory() {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'shared', 'corpus', 'orion-rust');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('shared/corpus/orion-rust not found beside the repository');
    dir = parent;
  }
}
