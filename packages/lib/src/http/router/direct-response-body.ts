import { readFile } from 'node:fs/promises';
import type { DataSource } from '@orion/configuration';
import { OrionError, assertNever } from '@orion/error';
import { RouterErrorCode } from './router-error-codes.js';

/**
 * Reads a `direct_response` body once, when the route table is compiled. Envoy: `DirectResponseAction.body`
 * (a `DataSource`: `filename`, `inline_string`, `inline_bytes` or `environment_variable`), limited to the table's
 * `max_direct_response_body_size_bytes` (default 4096). An empty body is no body (undefined). Throws
 * `ORION_ERR_LIB_ROUTE_DIRECT_RESPONSE_BODY` naming `where` for a missing file or variable, or a body too large.
 */
export async function loadDirectResponseBody(source: DataSource | undefined, maxBytes: number, where: string): Promise<Buffer | undefined> {
  if (source === undefined) return undefined;
  let body: Buffer;
  switch (source.type) {
    case 'inlineString':
      body = Buffer.from(source.value, 'utf8');
      break;
    case 'inlineBytes':
      body = Buffer.from(source.base64, 'base64');
      break;
    case 'environmentVariable': {
      const value = process.env[source.name];
      if (value === undefined) {
        throw new OrionError(RouterErrorCode.DIRECT_RESPONSE_BODY, `${where}: environment variable ${JSON.stringify(source.name)} is not set`, {
          details: { where, environmentVariable: source.name },
        });
      }
      body = Buffer.from(value, 'utf8');
      break;
    }
    case 'file':
      try {
        body = await readFile(source.path);
      } catch (err) {
        throw new OrionError(RouterErrorCode.DIRECT_RESPONSE_BODY, `${where}: cannot read ${JSON.stringify(source.path)}`, {
          cause: err,
          details: { where, filename: source.path },
        });
      }
      break;
    default:
      return assertNever(source);
  }
  if (body.length > maxBytes) {
    throw new OrionError(RouterErrorCode.DIRECT_RESPONSE_BODY, `${where}: the body is ${body.length} bytes, more than max_direct_response_body_size_bytes (${maxBytes})`, {
      details: { where, size: body.length, maxBytes },
    });
  }
  return body.length === 0 ? undefined : body;
}
