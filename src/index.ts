/**
 * Backchannel as a library. The channel client arrives with the client core;
 * today the package exports the Phoenix wire format and the error base.
 * The fake Phoenix server is the separate entry point `backchannel/testing`.
 */
export { BackchannelError, isBackchannelError } from './errors.ts'
export { ProtocolError, type ProtocolFault } from './phoenix/errors.ts'
export { ControlEvent, HEARTBEAT_TOPIC, type Frame, type Message, type ReplyPayload, type Vsn } from './phoenix/message.ts'
export { serializerFor, v1, v2, type Serializer } from './phoenix/serializer.ts'
