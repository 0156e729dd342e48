import type { GrpcRetryOn, HeaderMatcher, RetryOn, RetryPolicy } from '@orion/configuration';
import type { MutableHeaders } from './connection-manager/ports.js';
import { JitteredBackoff } from './jittered-backoff.js';
import { compileHeaderMatcher, type HeaderPredicate } from './router/header-matcher.js';
import type { RouteRequest } from './router/route-request.js';
import type { UpstreamFailureReason } from './upstream-failure.js';

// `retry_on` conditions as bits (Envoy's `RetryPolicy::RETRY_ON_*`).
const ON_5XX = 1 << 0;
const ON_GATEWAY_ERROR = 1 << 1;
const ON_RESET = 1 << 2;
const ON_RESET_BEFORE_REQUEST = 1 << 3;
const ON_CONNECT_FAILURE = 1 << 4;
const ON_ENVOY_RATELIMITED = 1 << 5;
const ON_RETRIABLE_4XX = 1 << 6;
const ON_REFUSED_STREAM = 1 << 7;
const ON_RETRIABLE_STATUS_CODES = 1 << 8;
const ON_RETRIABLE_HEADERS = 1 << 9;
const ON_GRPC_CANCELLED = 1 << 10;
const ON_GRPC_DEADLINE_EXCEEDED = 1 << 11;
const ON_GRPC_INTERNAL = 1 << 12;
const ON_GRPC_RESOURCE_EXHAUSTED = 1 << 13;
const ON_GRPC_UNAVAILABLE = 1 << 14;
const ON_ANY_GRPC = ON_GRPC_CANCELLED | ON_GRPC_DEADLINE_EXCEEDED | ON_GRPC_INTERNAL | ON_GRPC_RESOURCE_EXHAUSTED | ON_GRPC_UNAVAILABLE;

const HTTP_BITS: Readonly<Record<RetryOn, number>> = {
  '5xx': ON_5XX,
  'gateway-error': ON_GATEWAY_ERROR,
  reset: ON_RESET,
  'reset-before-request': ON_RESET_BEFORE_REQUEST,
  'connect-failure': ON_CONNECT_FAILURE,
  'envoy-ratelimited': ON_ENVOY_RATELIMITED,
  'retriable-4xx': ON_RETRIABLE_4XX,
  'refused-stream': ON_REFUSED_STREAM,
  'retriable-status-codes': ON_RETRIABLE_STATUS_CODES,
  'retriable-headers': ON_RETRIABLE_HEADERS,
  // HTTP/3 is not implemented: never retriable.
  'http3-post-connect-failure': 0,
};

const GRPC_BITS: Readonly<Record<GrpcRetryOn, number>> = {
  cancelled: ON_GRPC_CANCELLED,
  'deadline-exceeded': ON_GRPC_DEADLINE_EXCEEDED,
  internal: ON_GRPC_INTERNAL,
  'resource-exhausted': ON_GRPC_RESOURCE_EXHAUSTED,
  unavailable: ON_GRPC_UNAVAILABLE,
};

/** Retry headers Envoy consumes (removes) before forwarding (`RetryStateImpl::create`). */
const CONSUMED_HEADERS = [
  'x-envoy-retry-on',
  'x-envoy-retry-grpc-on',
  'x-envoy-max-retries',
  'x-envoy-hedge-on-per-try-timeout',
  'x-envoy-retriable-header-names',
  'x-envoy-retriable-status-codes',
  'x-envoy-upstream-rq-per-try-timeout-ms',
] as const;
/** The consumed headers {@link RetryState.create} does not read. */
const OTHER_CONSUMED_HEADERS = ['x-envoy-hedge-on-per-try-timeout', 'x-envoy-upstream-rq-per-try-timeout-ms'] as const;

/** A retry policy prepared once (its header matchers compiled). */
interface CompiledPolicy {
  readonly on: number;
  readonly numRetries: number;
  readonly statusCodes: readonly number[];
  readonly retriableHeaders: readonly HeaderPredicate[];
  readonly retriableRequestHeaders: readonly HeaderPredicate[];
  readonly baseMs: number;
  readonly maxMs: number;
}

const compiledPolicies = new WeakMap<RetryPolicy, CompiledPolicy>();

function compileMatchers(matchers: readonly HeaderMatcher[], where: string): HeaderPredicate[] {
  const out: HeaderPredicate[] = [];
  matchers.forEach((m, i) => {
    try {
      out.push(compileHeaderMatcher(m, `${where}[${i}]`));
    } catch {
      // Patterns were checked when the configuration was loaded; one that still fails never matches.
    }
  });
  return out;
}

function compilePolicy(policy: RetryPolicy): CompiledPolicy {
  let compiled = compiledPolicies.get(policy);
  if (compiled === undefined) {
    let on = 0;
    for (const c of policy.retryOn) on |= HTTP_BITS[c];
    for (const c of policy.grpcRetryOn) on |= GRPC_BITS[c];
    compiled = {
      on,
      numRetries: policy.numRetries,
      statusCodes: policy.retriableStatusCodes,
      retriableHeaders: compileMatchers(policy.retriableHeaders, 'retry_policy.retriable_headers'),
      retriableRequestHeaders: compileMatchers(policy.retriableRequestHeaders, 'retry_policy.retriable_request_headers'),
      baseMs: policy.backOffBaseIntervalMs,
      maxMs: policy.backOffMaxIntervalMs,
    };
    compiledPolicies.set(policy, compiled);
  }
  return compiled;
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

function parseConditions(value: string | undefined, bits: Readonly<Record<string, number>>): number {
  if (value === undefined) return 0;
  let on = 0;
  for (const part of value.split(',')) {
    const bit = bits[part.trim()];
    if (bit !== undefined) on |= bit;
  }
  return on;
}

function presentMatcher(name: string): HeaderMatcher {
  return { name, match: { type: 'present', present: true }, invert: false, treatMissingHeaderAsEmpty: false };
}

/** The gRPC status of a response whose headers carry it (trailers-only form). */
function grpcStatus(headers: MutableHeaders): number | undefined {
  const value = headers['grpc-status'];
  if (typeof value !== 'string' || value === '') return undefined;
  const n = Number(value);
  return Number.isInteger(n) ? n : undefined;
}

/** What ended an attempt, for {@link RetryState.wouldRetryFromReset}: an upstream failure or the per-try timeout. */
export type RetryTrigger = UpstreamFailureReason | 'perTryTimeout';

/** The outcome of asking for a retry: go, no (not retriable), or retriable but no retries left (`URX`). */
export type RetryDecision = 'retry' | 'notRetriable' | 'limitExceeded';

/**
 * The retry state of one request — Envoy's `RetryStateImpl`: the route's (or virtual host's) `retry_policy`
 * merged with the request's `x-envoy-retry-on`, `x-envoy-retry-grpc-on`, `x-envoy-max-retries`,
 * `x-envoy-retriable-status-codes` and `x-envoy-retriable-header-names` (which are then removed from the
 * upstream request), the retries left (`num_retries` counts retries after the first attempt), and the
 * jittered back-off between attempts.
 */
export class RetryState {
  readonly #on: number;
  #remaining: number;
  readonly #statusCodes: readonly number[];
  readonly #retriableHeaders: readonly HeaderPredicate[];
  readonly #backoff: JitteredBackoff;

  private constructor(on: number, remaining: number, statusCodes: readonly number[], retriableHeaders: readonly HeaderPredicate[], backoff: JitteredBackoff) {
    this.#on = on;
    this.#remaining = remaining;
    this.#statusCodes = statusCodes;
    this.#retriableHeaders = retriableHeaders;
    this.#backoff = backoff;
  }

  /**
   * The retry state for a request, or undefined when nothing could ever be retried. Consumes the retry headers
   * from `headers` (the upstream request headers). `request` is the downstream request as the router sees it
   * (for `retriable_request_headers`); `random` draws the back-off jitter.
   */
  static create(policy: RetryPolicy | undefined, headers: MutableHeaders, request: RouteRequest, random: () => number = Math.random): RetryState | undefined {
    const rawOn = headers['x-envoy-retry-on'];
    const rawGrpcOn = headers['x-envoy-retry-grpc-on'];
    const rawMaxRetries = headers['x-envoy-max-retries'];
    const rawCodes = headers['x-envoy-retriable-status-codes'];
    const rawNames = headers['x-envoy-retriable-header-names'];
    // Each header is looked up once (most requests carry none of them: this runs on every forwarded request).
    if (rawOn !== undefined || rawGrpcOn !== undefined || rawMaxRetries !== undefined || rawCodes !== undefined || rawNames !== undefined) {
      for (const name of CONSUMED_HEADERS) if (headers[name] !== undefined) delete headers[name];
    } else {
      for (const name of OTHER_CONSUMED_HEADERS) if (headers[name] !== undefined) delete headers[name];
    }
    const headerOn = headerText(rawOn);
    const headerGrpcOn = headerText(rawGrpcOn);
    const maxRetries = headerText(rawMaxRetries);
    const headerCodes = headerText(rawCodes);
    const headerNames = headerText(rawNames);
    if (policy === undefined && headerOn === undefined && headerGrpcOn === undefined) return undefined;
    const compiled = policy === undefined ? undefined : compilePolicy(policy);
    let on = (compiled?.on ?? 0) | parseConditions(headerOn, HTTP_BITS) | parseConditions(headerGrpcOn, GRPC_BITS);
    if (compiled !== undefined && compiled.retriableRequestHeaders.length > 0 && !compiled.retriableRequestHeaders.some((p) => p(request))) on = 0;
    if (on === 0) return undefined;
    let remaining = compiled?.numRetries ?? 1;
    if (maxRetries !== undefined && maxRetries.trim() !== '') {
      const n = Number(maxRetries);
      if (Number.isInteger(n) && n >= 0) remaining = n;
    }
    let statusCodes = compiled?.statusCodes ?? [];
    if (headerCodes !== undefined) {
      const extra = headerCodes
        .split(',')
        .map((c) => Number(c.trim()))
        .filter((c) => Number.isInteger(c) && c >= 100 && c <= 599);
      if (extra.length > 0) statusCodes = [...statusCodes, ...extra];
    }
    let retriableHeaders = compiled?.retriableHeaders ?? [];
    if (headerNames !== undefined) {
      const extra = headerNames
        .split(',')
        .map((n) => n.trim().toLowerCase())
        .filter((n) => n !== '')
        .map((n) => compileHeaderMatcher(presentMatcher(n), 'x-envoy-retriable-header-names'));
      if (extra.length > 0) retriableHeaders = [...retriableHeaders, ...extra];
    }
    const backoff = new JitteredBackoff(compiled?.baseMs ?? 25, compiled?.maxMs ?? 250, random);
    return new RetryState(on, remaining, statusCodes, retriableHeaders, backoff);
  }

  /** Retries left. */
  get remaining(): number {
    return this.#remaining;
  }

  /**
   * Whether a response with `status` and `headers` is retriable (Envoy's `wouldRetryFromHeaders`): 5xx,
   * gateway errors (502–504), 409 for `retriable-4xx`, the listed status codes, matching retriable headers, and
   * a `grpc-status` among the gRPC conditions. A response carrying `x-envoy-ratelimited` is retried only with
   * `envoy-ratelimited`.
   */
  wouldRetryFromHeaders(status: number, headers: MutableHeaders): boolean {
    const on = this.#on;
    if (headers['x-envoy-ratelimited'] !== undefined) return (on & ON_ENVOY_RATELIMITED) !== 0;
    if ((on & ON_5XX) !== 0 && status >= 500 && status <= 599) return true;
    if ((on & ON_GATEWAY_ERROR) !== 0 && status >= 502 && status <= 504) return true;
    if ((on & ON_RETRIABLE_4XX) !== 0 && status === 409) return true;
    if ((on & ON_RETRIABLE_STATUS_CODES) !== 0 && this.#statusCodes.includes(status)) return true;
    if ((on & ON_RETRIABLE_HEADERS) !== 0 && this.#retriableHeaders.length > 0) {
      const view = responseView(status, headers);
      if (this.#retriableHeaders.some((p) => p(view))) return true;
    }
    if ((on & ON_ANY_GRPC) !== 0) {
      switch (grpcStatus(headers)) {
        case 1:
          return (on & ON_GRPC_CANCELLED) !== 0;
        case 4:
          return (on & ON_GRPC_DEADLINE_EXCEEDED) !== 0;
        case 8:
          return (on & ON_GRPC_RESOURCE_EXHAUSTED) !== 0;
        case 13:
          return (on & ON_GRPC_INTERNAL) !== 0;
        case 14:
          return (on & ON_GRPC_UNAVAILABLE) !== 0;
        default:
          return false;
      }
    }
    return false;
  }

  /**
   * Whether an attempt that ended without a response is retriable (Envoy's `wouldRetryFromReset`): connection
   * failures with `connect-failure`; any failure before the request reached a connection with
   * `reset-before-request`; any reset or per-try timeout with `5xx`, `gateway-error` or `reset`; a refused stream
   * with `refused-stream`.
   */
  wouldRetryFromReset(trigger: RetryTrigger, requestStarted: boolean): boolean {
    const on = this.#on;
    // A local reset is Orion's own decision; an overflow is the circuit breaker (Envoy never retries either).
    if (trigger === 'localReset' || trigger === 'overflow') return false;
    if ((trigger === 'connectionFailure' || trigger === 'connectionTimeout') && (on & ON_CONNECT_FAILURE) !== 0) return true;
    if ((on & ON_RESET_BEFORE_REQUEST) !== 0 && !requestStarted) return true;
    if ((on & (ON_5XX | ON_GATEWAY_ERROR | ON_RESET)) !== 0) return true;
    return (on & ON_REFUSED_STREAM) !== 0 && trigger === 'refusedStream';
  }

  /** Takes a retry for a retriable outcome: `retry` while retries are left, else `limitExceeded`. */
  take(): RetryDecision {
    if (this.#remaining <= 0) return 'limitExceeded';
    this.#remaining--;
    return 'retry';
  }

  /** The back-off before the next attempt, in milliseconds. */
  nextBackoffMs(): number {
    return this.#backoff.nextMs();
  }
}

/** A response as the header matchers read it (`:status` included). */
function responseView(status: number, headers: MutableHeaders): RouteRequest {
  return {
    method: '',
    authority: '',
    path: '',
    scheme: 'http',
    listenerPort: 0,
    getHeader: (name) => (name === ':status' ? String(status) : headerText(headers[name])),
  };
}
