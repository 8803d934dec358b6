/**
 * Backchannel's test kit: a fake Phoenix server for your own tests.
 *
 *   import { startFakePhoenix, ok } from 'backchannel/testing'
 */
export { startFakePhoenix, type FakePhoenix, type MountAddress } from './fake-phoenix/server.ts'
export type { FakePhoenixOptions, MountOptions, ConnectCallback, ConnectResult } from './fake-phoenix/options.ts'
export {
  ok, error, reply, noreply, stop, routeTopic,
  type ChannelHandler, type ChannelRoutes, type ChannelSocket, type ConnectInfo, type JoinResult, type InResult, type InfoResult, type ReplyResult, type ReplyTo,
} from './fake-phoenix/channel-api.ts'
export { builtinChannels, echoChannel, roomChannel, firehoseChannel, presenceChannel } from './fake-phoenix/handlers/index.ts'
export type { Faults, RefuseOptions, RestartOptions } from './fake-phoenix/faults.ts'
export type { FakePhoenixEvents } from './fake-phoenix/hub.ts'
export type { FakeConnection } from './fake-phoenix/connection.ts'
export { versionProfile, type StaleJoinRefRule, type VersionProfile } from './fake-phoenix/version.ts'
export { AUTH_TOKEN_PREFIX } from './fake-phoenix/handshake.ts'
