/**
 * Coalesces the frames sent in one turn of the event loop into one socket
 * write. The socket is corked at the first frame and uncorked in the check
 * phase (setImmediate, after the poll phase that produced the frames), so a
 * hundred pushes made while handling a hundred HTTP requests cost one
 * writev instead of a hundred; a lone frame waits only for the rest of its
 * loop turn. ws corks around each frame's header and payload itself: corks
 * nest, so its frames queue behind ours and go out in order.
 */
import type { Duplex } from 'node:stream'

export class WriteBatch {
  readonly #socket: Duplex
  #corked = false

  constructor (socket: Duplex) {
    this.#socket = socket
  }

  /** Call before each write: the first one in a loop turn corks the socket until the check phase. */
  open (): void {
    if (this.#corked) return
    this.#corked = true
    this.#socket.cork()
    setImmediate(this.#flush)
  }

  readonly #flush = (): void => {
    this.#corked = false
    this.#socket.uncork()
  }
}
