import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { startOrion, type OrionProcess } from './orion-process.js';

/** An `orion` process started with an admin listener, and where everything listens. */
export interface AdminOrion {
  readonly orion: OrionProcess;
  /** `http://127.0.0.1:<admin port>`. */
  readonly adminUrl: string;
  /** Where each listener is bound (`127.0.0.1:<port>`), by name, as printed at startup. */
  readonly listeners: ReadonlyMap<string, string>;
  /** The configuration file. */
  readonly configPath: string;
  /** Stops orion (SIGTERM, then SIGKILL) and removes the configuration directory. */
  close(): Promise<void>;
}

/** Starts `orion -c <yaml>` with `args`, waits for `orion: ready` and reads the admin and listener addresses. */
export async function startAdminOrion(yaml: string, args: readonly string[] = []): Promise<AdminOrion> {
  const dir = await mkdtemp(join(tmpdir(), 'orion-admin-'));
  const configPath = join(dir, 'envoy.yaml');
  await writeFile(configPath, yaml);
  const orion = startOrion(['-c', configPath, ...args]);
  try {
    const admin = await orion.waitForLine(/^orion: admin listening on (\S+)$/, 30_000);
    await orion.waitForLine(/^orion: ready$/, 30_000);
    const listeners = new Map<string, string>();
    for (const line of orion.stdout) {
      const m = /^orion: listener (\S+) listening on (\S+)$/.exec(line);
      if (m !== null) listeners.set(m[1] as string, m[2] as string);
    }
    return {
      orion,
      adminUrl: `http://${admin[1] as string}`,
      listeners,
      configPath,
      async close() {
        await orion.stop('SIGTERM', 10_000);
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await orion.stop('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

/** An admin answer. */
export interface AdminAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** Sends `method path` to the admin listener with undici (a fresh connection each time, 10 s at most). */
export async function adminRequest(adminUrl: string, path: string, method: 'GET' | 'POST' = 'GET'): Promise<AdminAnswer> {
  const res = await request(`${adminUrl}${path}`, { method, headersTimeout: 10_000, bodyTimeout: 10_000, reset: true });
  const body = await res.body.text();
  return { status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), headers: res.headers, body };
}

/**
 * The one normalisation rule of the admin golden files: values that legitimately differ between runs are replaced,
 * and nothing else. `ports` maps each port of the run (listeners, upstreams, admin) to a placeholder such as
 * `<LISTENER_PORT>`; every `P<q>(a,b)` quantile value and Prometheus histogram `_sum` that is a time becomes `<t>`;
 * the value of each stat named in `volatile` (uptime, memory) becomes `<v>`.
 */
export function normalizeAdminOutput(text: string, options: { readonly ports: ReadonlyMap<number, string>; readonly volatile?: readonly string[] }): string {
  let out = text;
  for (const [port, name] of options.ports) out = out.replace(new RegExp(`(?<=[:_])${port}(?![0-9])`, 'g'), name);
  out = out.replace(/P(\d+(?:\.\d+)?)\(([^,()]+),([^,()]+)\)/g, (_m, q: string, a: string, b: string) => `P${q}(${a === 'nan' ? 'nan' : '<t>'},${b === 'nan' ? 'nan' : '<t>'})`);
  for (const name of options.volatile ?? []) {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(new RegExp(`^(${escaped}(?:\\{[^}]*\\})?:? )\\S+$`, 'gm'), '$1<v>');
  }
  return out;
}
