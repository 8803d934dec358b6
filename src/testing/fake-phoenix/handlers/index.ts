import type { ChannelRoutes } from '../channel-api.ts'
import { echoChannel } from './echo.ts'
import { firehoseChannel } from './firehose.ts'
import { presenceChannel } from './presence.ts'
import { roomChannel } from './room.ts'

export { echoChannel, firehoseChannel, presenceChannel, roomChannel }

/** The demo's and benchmarks' channels: `echo:*`, `room:*`, `firehose:*`, `presence:*`. */
export function builtinChannels (): ChannelRoutes {
  return { 'echo:*': echoChannel, 'room:*': roomChannel, 'firehose:*': firehoseChannel, 'presence:*': presenceChannel }
}
