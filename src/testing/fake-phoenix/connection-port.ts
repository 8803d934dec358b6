import type { Frame, Message } from '../../phoenix/message.ts'
import type { Serializer } from '../../phoenix/serializer.ts'
import type { ConnectInfo } from './channel-api.ts'
import type { QueryParams } from './query.ts'

/** What a channel needs of its connection. */
export interface ConnectionPort {
  readonly id: number
  readonly socketId: string | null
  readonly params: QueryParams
  readonly info: ConnectInfo
  readonly assigns: Record<string, unknown>
  readonly serializer: Serializer
  send: (message: Message) => void
  /** A reply, subject to the server's reply delay. */
  sendReply: (message: Message) => void
  sendFrame: (frame: Frame) => void
  bufferedAmount: () => number
  drain: () => Promise<void>
  detach: (channel: { topic: string }) => void
}
