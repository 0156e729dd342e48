import type { AdminContext } from './admin-context.js';
import type { AdminResponse } from './admin-response.js';

/** A parsed admin request. */
export interface AdminRequest {
  readonly method: string;
  /** The path without the query. */
  readonly path: string;
  /** The query (without `?`), as sent. */
  readonly rawQuery: string;
  readonly query: URLSearchParams;
}

/** A query parameter an endpoint documents (Envoy's `Admin::ParamDescriptor`). */
export interface ParamDescriptor {
  readonly type: 'boolean' | 'string' | 'enum';
  readonly id: string;
  readonly help: string;
  /** The choices of an `enum`. */
  readonly choices?: readonly string[];
}

/** One admin endpoint (Envoy's `UrlHandler`). */
export interface UrlHandler {
  /** The path it answers, exactly (`/stats`). */
  readonly prefix: string;
  readonly help: string;
  /** POST only: a GET answers 400 and changes nothing. */
  readonly mutatesState: boolean;
  readonly params: readonly ParamDescriptor[];
  handle(request: AdminRequest, context: AdminContext): AdminResponse | Promise<AdminResponse>;
}
