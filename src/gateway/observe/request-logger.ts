/**
 * fastify gives every request a child logger carrying its reqId. pino builds
 * a child eagerly (its bindings serialised up front), though at level info
 * most requests never write a line. This logger stands in for that child and
 * builds pino's on the first line actually written, so a request that logs
 * nothing costs one small object.
 */
import type { FastifyBaseLogger } from 'fastify'
import type { Bindings, ChildLoggerOptions } from 'pino'

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'

/** What the parent may also be: a pino logger, which can say whether a level is on. */
type Parent = FastifyBaseLogger & { isLevelEnabled?: (level: string) => boolean }

export class RequestLogger implements FastifyBaseLogger {
  readonly #parent: Parent
  readonly #bindings: Bindings
  readonly #options: ChildLoggerOptions
  #child: FastifyBaseLogger | undefined

  constructor (parent: Parent, bindings: Bindings, options: ChildLoggerOptions = {}) {
    this.#parent = parent
    this.#bindings = bindings
    this.#options = options
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
