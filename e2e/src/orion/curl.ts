import { execFile } from 'node:child_process';

/** The result of one curl run. */
export interface CurlResult {
  readonly exitCode: number;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** Everything curl wrote to stdout (with `-o`, only the `-w` output). */
  readonly stdout: string;
}

/**
 * Runs the real `curl` binary (`-sS -i`) and parses the final response. `args` are extra curl arguments
 * placed before the URL. Bounded by `--max-time` (default 10 s).
 */
export function curl(url: string, args: readonly string[] = []): Promise<CurlResult> {
  return new Promise((resolve) => {
    const hasMaxTime = args.includes('--max-time') || args.includes('-m');
    execFile('curl', ['-sS', '-i', ...(hasMaxTime ? [] : ['--max-time', '10']), ...args, url], { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 }, (err, stdout) => {
      const exitCode = err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1;
      const text = stdout.toString('utf8');
      // The last header block (after 100 Continue etc.).
      const blocks = text.split('\r\n\r\n');
      let i = 0;
      while (i + 1 < blocks.length && /^HTTP\/[\d.]+ 1\d\d/.test(blocks[i] ?? '')) i++;
      const head = blocks[i] ?? '';
      const body = blocks.slice(i + 1).join('\r\n\r\n');
      const lines = head.split('\r\n');
      const status = Number(/^HTTP\/[\d.]+ (\d{3})/.exec(lines[0] ?? '')?.[1] ?? 0);
      const headers: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ exitCode, status, headers, body, stdout: text });
    });
  });
}
