import type { Counter, StatsScope } from '@orion/metrics';

const MIN_CODE = 100;
const MAX_CODE = 599;

/**
 * `upstream_rq_completed`, `upstream_rq_<N>xx` and `upstream_rq_<code>` under one scope (Envoy's
 * `CodeStats::chargeBasicResponseStat`), each counter created the first time it is charged and then kept in an array
 * indexed by class or code.
 */
export class ResponseCodeCounters {
  readonly #scope: StatsScope;
  #completed: Counter | undefined;
  readonly #classes: (Counter | undefined)[] = [];
  readonly #codes: (Counter | undefined)[] = [];

  constructor(scope: StatsScope) {
    this.#scope = scope;
  }

  /** Whether `code` gets counters of its own (100–599, as Envoy's code stats). */
  static valid(code: number): boolean {
    return Number.isInteger(code) && code >= MIN_CODE && code <= MAX_CODE;
  }

  /** Counts one response with status `code`; other codes than {@link valid} ones are ignored. */
  charge(code: number): void {
    if (!ResponseCodeCounters.valid(code)) return;
    (this.#completed ??= this.#scope.counter('upstream_rq_completed')).inc();
    const cls = (code / 100) | 0;
    let group = this.#classes[cls];
    if (group === undefined) {
      group = this.#scope.counter(`upstream_rq_${cls}xx`);
      this.#classes[cls] = group;
    }
    group.inc();
    let counter = this.#codes[code];
    if (counter === undefined) {
      counter = this.#scope.counter(`upstream_rq_${code}`);
      this.#codes[code] = counter;
    }
    counter.inc();
  }
}
