/**
 * Backchannel as a library: a Phoenix Channels client with reconnect and
 * rejoin, deadlines on every wait, exactly one outcome per push, pooling,
 * and typed errors. The fake Phoenix server is the separate entry point
 * `backchannel/testing`.
 */
export { Client, type ClientOptions, type CallOptions, type Reply } from './client/client.ts'
export type { ClientEvents } from './client/events.ts'
export { MessageOverflowError, type ChannelMessage } from './client/message-waiters.ts'
export { ReplyError } from './client/reply-error.ts'
export { Pool, ChannelLimitError, type PoolOptions, type PoolStats } from './connection/pool.ts'
export { Connection, type ConnectionEvents, type ConnectionState } from './connection/connection.ts'
export type { ConnectionOptions } from './connection/options.ts'
export { ConnectError, ConnectRefusedError, SendBufferFullError } from './connection/errors.ts'
export { BackchannelError, isBackchannelError } from './errors.ts'
export {
  AbortedError, BufferFullError, ChannelClosedError, ClosedError, DisconnectedError, JoinRefusedError, NotJoinedError, ProtocolError, TimeoutError,
  type ProtocolFault,
} from './phoenix/errors.ts'
export { Backoff, backoffDelay, RECONNECT_SCHEDULE_MS, REJOIN_SCHEDULE_MS } from './phoenix/backoff.ts'
export { ControlEvent, HEARTBEAT_TOPIC, type Frame, type Message, type ReplyPayload, type Vsn } from './phoenix/message.ts'
export { serializerFor, v1, v2, type Serializer } from './phoenix/serializer.ts'
export { Session, type SessionStats } from './phoenix/session.ts'
export type { SessionEvent, SessionOutput, PushOutcome, JoinOutcome, ChannelState } from './phoenix/session-types.ts'
