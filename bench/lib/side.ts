/**
 * What the benchmark asks of a client under test. phoenix.js and
 * Backchannel's Client each implement it over the same server and the same
 * topology: `sockets` sockets, at most `perSocket` topics on each.
 */

export interface Topology { sockets: number, perSocket: number }

/** The main topology: Phoenix 1.8.9+ refuses the 101st channel on one connection, so 1,000 topics need 10 sockets. */
export const POOLED: Topology = { sockets: 10, perSocket: 100 }
/** 1,000 topics on one socket, as against Phoenix before 1.8.9 (no channel limit); an informative extra. */
export const SINGLE: Topology = { sockets: 1, perSocket: 1000 }
/** Reconnect delay of both clients in the rejoin benchmark: short and fixed, so back-off does not dominate. */
export const RECONNECT_DELAY_MS = 10

export interface BenchSide {
  readonly name: string
  /** Opens every socket; resolves when all are open. */
  connect: () => Promise<void>
  /** Joins every topic at once; resolves when all are joined. */
  join: (topics: readonly string[]) => Promise<void>
  leave: (topics: readonly string[]) => Promise<void>
  /**
   * Pushes `start` `{ count, size }` to every topic (firehose:*) at once and
   * resolves once every topic sent `done`, with the number of `msg` received.
   */
  firehose: (topics: readonly string[], count: number, size: number) => Promise<number>
  /** One push and its ok reply, on an echo:* topic. */
  roundTrip: (topic: string, payload: Record<string, unknown>) => Promise<void>
  /**
   * Arms a count of rejoins (join ok after a reconnect); the promise resolves
   * with the wall-clock time (ms) of the n-th, and of the first disconnect seen.
   */
  expectRejoins: (n: number) => Promise<{ firstCloseAt: number, lastRejoinAt: number }>
  close: () => Promise<void>
}
