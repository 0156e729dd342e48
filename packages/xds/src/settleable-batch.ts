import { OrionError } from '@orion/error';
import { ORION_ERR_XDS_BATCH_SETTLED } from './error-codes.js';
import type { PreparedBatch } from './prepared-batch.js';
import type { XdsBatch, XdsBatchSource, XdsNackOptions, XdsRemoval, XdsResourceError, XdsUpdate } from './xds-batch.js';

/** What the client does when a batch is settled: `nackErrors` is undefined for `ack()`. */
export type SettleHandler = (batch: PreparedBatch, nackErrors: readonly XdsResourceError[] | undefined, rejectAll: boolean) => void;

/** The {@link XdsBatch} handed to callers: a prepared batch plus exactly-once `ack()` / `nack()`. */
export class SettleableBatch implements XdsBatch<unknown> {
  readonly typeUrl: string;
  readonly source: XdsBatchSource;
  readonly version: string;
  readonly nonce: string;
  readonly updates: readonly XdsUpdate<unknown>[];
  readonly removals: readonly XdsRemoval[];
  readonly errors: readonly XdsResourceError[];
  readonly #prepared: PreparedBatch;
  readonly #onSettle: SettleHandler;
  #settled = false;

  constructor(prepared: PreparedBatch, onSettle: SettleHandler) {
    this.#prepared = prepared;
    this.#onSettle = onSettle;
    this.typeUrl = prepared.typeUrl;
    this.source = prepared.source;
    this.version = prepared.version;
    this.nonce = prepared.nonce;
    this.updates = prepared.updates.map((u) =>
      u.ttlMs === undefined ? { name: u.name, version: u.version, value: u.value } : { name: u.name, version: u.version, value: u.value, ttlMs: u.ttlMs },
    );
    this.removals = prepared.removals;
    this.errors = prepared.errors;
  }

  get settled(): boolean {
    return this.#settled;
  }

  ack(): void {
    this.#settle(undefined, false);
  }

  nack(errors: readonly XdsResourceError[], options: XdsNackOptions = {}): void {
    this.#settle(errors, options.rejectAll ?? false);
  }

  #settle(errors: readonly XdsResourceError[] | undefined, rejectAll: boolean): void {
    if (this.#settled) {
      throw new OrionError(ORION_ERR_XDS_BATCH_SETTLED, `the ${this.typeUrl} batch (nonce "${this.nonce}") is already settled`);
    }
    this.#settled = true;
    this.#onSettle(this.#prepared, errors, rejectAll);
  }
}
