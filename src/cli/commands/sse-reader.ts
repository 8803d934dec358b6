/**
 * A small SSE reader over fetch for the demo: yields parsed events, each
 * read with a deadline.
 */
export interface ReadEvent { id: string | null, event: string, data: string }

export class SseReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>
  readonly #decoder = new TextDecoder()
  readonly #abort: AbortController
  #buffer = ''

  private constructor (reader: ReadableStreamDefaultReader<Uint8Array>, abort: AbortController) {
    this.#reader = reader
    this.#abort = abort
  }

  static async open (url: string, lastEventId?: string): Promise<SseReader> {
    const abort = new AbortController()
    const res = await fetch(url, { headers: lastEventId === undefined ? {} : { 'last-event-id': lastEventId }, signal: abort.signal })
    if (res.status !== 200 || res.body === null) throw new Error(`SSE request answered ${res.status}`)
    return new SseReader(res.body.getReader(), abort)
  }

  /** The next event, or an error after `timeoutMs`. */
  async next (timeoutMs = 5000): Promise<ReadEvent> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const end = this.#buffer.indexOf('\n\n')
      if (end !== -1) {
        const block = this.#buffer.slice(0, end)
        this.#buffer = this.#buffer.slice(end + 2)
        const event = parseBlock(block)
        if (event !== null) return event
        continue
      }
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`no SSE event within ${timeoutMs} ms`)
      let timer: NodeJS.Timeout | undefined
      const timeout = new Promise<never>((_resolve, reject) => { timer = setTimeout(() => { reject(new Error(`no SSE event within ${timeoutMs} ms`)) }, left) })
      try {
        const { value, done } = await Promise.race([this.#reader.read(), timeout])
        if (done) throw new Error('the SSE stream ended')
        this.#buffer += this.#decoder.decode(value, { stream: true })
      } finally {
        clearTimeout(timer)
      }
    }
  }

  /** The next event named `name`, skipping others. */
  async until (name: string, timeoutMs = 5000): Promise<ReadEvent> {
    for (;;) {
      const event = await this.next(timeoutMs)
      if (event.event === name) return event
    }
  }

  close (): void {
    this.#abort.abort()
  }
}

function parseBlock (block: string): ReadEvent | null {
  let id: string | null = null
  let event = 'message'
  const data: string[] = []
  for (const line of block.split('\n')) {
    if (line.startsWith(':') || line === '') continue
    const colon = line.indexOf(':')
    const field = colon === -1 ? line : line.slice(0, colon)
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '')
    if (field === 'id') id = value
    else if (field === 'event') event = value
    else if (field === 'data') data.push(value)
  }
  return data.length === 0 ? null : { id, event, data: data.join('\n') }
}
