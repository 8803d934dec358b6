/**
 * fastify gives every request a child logger carrying its reqId. pino builds
 * a child eagerly (its bindings serialised up front), though at level info
 * most requests never write a line. This logger stands in for that child and
 * builds pino's on the first line actually written, so a request that logs
 * nothing costs one small object.
 */
import type { FastifyBaseLogger } from 'fastify'
import type { Bindings, ChildLoggerOptions } from 'pino'

/** The options of a child given none (fastify passes a fresh `{}` for each request): one object, not one a request. */
const NO_OPTIONS: ChildLoggerOptions = Object.freeze({})

/** Whether `options` has no own property (without building an array of its keys). */
function isEmpty (options: ChildLoggerOptions): boolean {
  for (const key in options) if (Object.hasOwn(options, key)) return false
  return true
}

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'

/** What the parent may also be: a pino logger, which can say whether a level is on. */
type Parent = FastifyBaseLogger & { isLevelEnabled?: (level: string) => boolean }

export class RequestLogger implements FastifyBaseLogger {
  readonly #parent: Parent
  readonly #bindings: Bindings
  readonly #options: ChildLoggerOptions
  #child: FastifyBaseLogger | undefined

  constructor (parent: Parent, bindings: Bindings, options: ChildLoggerOptions = NO_OPTIONS) {
    this.#parent = parent
    this.#bindings = bindings
    // Kept for the request's life (an SSE stream's too, for its closing line): an empty one is the shared one.
    this.#options = isEmpty(options) ? NO_OPTIONS : options
  }

  get level (): string { return (this.#child ?? this.#parent).level }
  set level (level: string) { this.#real().level = level }

  fatal (...args: unknown[]): void { this.#write('fatal', args) }
  error (...args: unknown[]): void { this.#write('error', args) }
  warn (...args: unknown[]): void { this.#write('warn', args) }
  info (...args: unknown[]): void { this.#write('info', args) }
  debug (...args: unknown[]): void { this.#write('debug', args) }
  trace (...args: unknown[]): void { this.#write('trace', args) }
  silent (): void {}

  /** A child of this request's logger, itself built on first use. */
  child (bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    if (this.#child !== undefined) return this.#child.child(bindings, options)
    return new RequestLogger(this.#parent, { ...this.#bindings, ...bindings }, { ...this.#options, ...options })
  }

  #write (level: Level, args: unknown[]): void {
    if (this.#child === undefined && this.#parent.isLevelEnabled?.(level) === false) return
    const child = this.#real()
    Reflect.apply(child[level], child, args)
  }

  #real (): FastifyBaseLogger {
    this.#child ??= this.#parent.child(this.#bindings, this.#options)
    return this.#child
  }
}
