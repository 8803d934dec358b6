/**
 * A min-heap of deadlines. Entries are never removed early: whoever pops one
 * checks whether it still applies (lazy deletion), which keeps scheduling
 * O(log n) and cancelling free.
 */
export class DeadlineQueue<T> {
  readonly #at: number[] = []
  readonly #items: T[] = []

  get size (): number {
    return this.#at.length
  }

  /** The earliest deadline, or undefined when empty. */
  peek (): number | undefined {
    return this.#at[0]
  }

  push (at: number, item: T): void {
    const at_ = this.#at
    const items = this.#items
    let i = at_.length
    at_.push(at)
    items.push(item)
    while (i > 0) {
      const parent = (i - 1) >> 1
      if ((at_[parent] ?? 0) <= at) break
      at_[i] = at_[parent] ?? 0
      items[i] = items[parent] as T
      i = parent
    }
    at_[i] = at
    items[i] = item
  }

  /** Removes and returns the earliest entry if it is due at `now`. */
  popDue (now: number): T | undefined {
    const at_ = this.#at
    if (at_.length === 0 || (at_[0] ?? 0) > now) return undefined
    const items = this.#items
    const top = items[0]
    const lastAt = at_.pop() ?? 0
    const lastItem = items.pop() as T
    const n = at_.length
    if (n > 0) {
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        if (l >= n) break
        const r = l + 1
        const c = r < n && (at_[r] ?? 0) < (at_[l] ?? 0) ? r : l
        if ((at_[c] ?? 0) >= lastAt) break
        at_[i] = at_[c] ?? 0
        items[i] = items[c] as T
        i = c
      }
      at_[i] = lastAt
      items[i] = lastItem
    }
    return top
  }

  /** Keeps only entries for which `keep` is true (used to shed dead entries). */
  retain (keep: (item: T) => boolean): void {
    const kept: Array<[number, T]> = []
    for (let i = 0; i < this.#at.length; i++) {
      const item = this.#items[i] as T
      if (keep(item)) kept.push([this.#at[i] ?? 0, item])
    }
    this.#at.length = 0
    this.#items.length = 0
    for (const [at, item] of kept) this.push(at, item)
  }
}
