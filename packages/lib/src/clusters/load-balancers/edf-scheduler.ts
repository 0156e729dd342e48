/**
 * Earliest-deadline-first scheduler: each entry is due every `1 / weight`; picking returns the entry with the
 * earliest deadline and re-queues it one period later. Ties go to the entry queued first. Envoy: `EdfScheduler`,
 * the basis of its weighted round robin (a smooth interleaving: weights 3 and 1 give A A B A, not A A A B).
 */
export class EdfScheduler<T> {
  readonly #deadline: number[] = [];
  readonly #order: number[] = [];
  readonly #items: T[] = [];
  readonly #weights: number[] = [];
  #now = 0;
  #seq = 0;

  /** Queues `item` with `weight` (> 0), first due `1 / weight` from now. */
  add(item: T, weight: number): void {
    this.#push(item, weight, this.#now + 1 / weight);
  }

  /** The item due first, re-queued with its own weight; undefined when empty. */
  pickAndAdd(): T | undefined {
    if (this.#items.length === 0) return undefined;
    const item = this.#items[0] as T;
    const weight = this.#weights[0] as number;
    const deadline = this.#deadline[0] as number;
    this.#popTop();
    this.#now = deadline;
    this.#push(item, weight, deadline + 1 / weight);
    return item;
  }

  /** Number of queued items. */
  get size(): number {
    return this.#items.length;
  }

  #less(a: number, b: number): boolean {
    const da = this.#deadline[a] as number;
    const db = this.#deadline[b] as number;
    return da < db || (da === db && (this.#order[a] as number) < (this.#order[b] as number));
  }

  #swap(a: number, b: number): void {
    for (const arr of [this.#deadline, this.#order, this.#weights] as number[][]) {
      const t = arr[a] as number;
      arr[a] = arr[b] as number;
      arr[b] = t;
    }
    const t = this.#items[a] as T;
    this.#items[a] = this.#items[b] as T;
    this.#items[b] = t;
  }

  #push(item: T, weight: number, deadline: number): void {
    this.#items.push(item);
    this.#weights.push(weight);
    this.#deadline.push(deadline);
    this.#order.push(this.#seq++);
    let i = this.#items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(i, parent)) break;
      this.#swap(i, parent);
      i = parent;
    }
  }

  #popTop(): void {
    const last = this.#items.length - 1;
    this.#swap(0, last);
    this.#items.pop();
    this.#weights.pop();
    this.#deadline.pop();
    this.#order.pop();
    let i = 0;
    const n = this.#items.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.#less(l, m)) m = l;
      if (r < n && this.#less(r, m)) m = r;
      if (m === i) break;
      this.#swap(i, m);
      i = m;
    }
  }
}
