/**
 * A binary min-heap of items by a number key, pure: the topics of a stream
 * over several topics that have events waiting, by the order of the next
 * one, so the stream gives the oldest first in O(log topics).
 */
export class OrderHeap<T> {
  readonly #keys: number[] = []
  readonly #items: T[] = []

  get size (): number { return this.#items.length }

  /** The item with the smallest key, or undefined when empty. */
  peek (): T | undefined { return this.#items[0] }

  push (item: T, key: number): void {
    this.#items.push(item)
    this.#keys.push(key)
    this.#up(this.#items.length - 1)
  }

  /** Gives the smallest item a new key (it has moved on to its next event). */
  rekeyTop (key: number): void {
    if (this.#items.length === 0) return
    this.#keys[0] = key
    this.#down(0)
  }

  pop (): T | undefined {
    const top = this.#items[0]
    const lastItem = this.#items.pop()
    const lastKey = this.#keys.pop()
    if (this.#items.length > 0 && lastItem !== undefined && lastKey !== undefined) {
      this.#items[0] = lastItem
      this.#keys[0] = lastKey
      this.#down(0)
    }
    return top
  }

  /** Every item, in no particular order. */
  items (): readonly T[] { return this.#items }

  #up (at: number): void {
    let i = at
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (this.#key(parent) <= this.#key(i)) return
      this.#swap(i, parent)
      i = parent
    }
  }

  #down (at: number): void {
    let i = at
    const n = this.#items.length
    for (;;) {
      const left = 2 * i + 1
      const right = left + 1
      let least = i
      if (left < n && this.#key(left) < this.#key(least)) least = left
      if (right < n && this.#key(right) < this.#key(least)) least = right
      if (least === i) return
      this.#swap(i, least)
      i = least
    }
  }

  #key (i: number): number { return this.#keys[i] ?? Infinity }

  #swap (a: number, b: number): void {
    const item = this.#items[a] as T
    this.#items[a] = this.#items[b] as T
    this.#items[b] = item
    const key = this.#keys[a] ?? 0
    this.#keys[a] = this.#keys[b] ?? 0
    this.#keys[b] = key
  }
}
