import { BackchannelError } from '../errors.ts'

/** Why a frame could not be decoded or encoded. */
export type ProtocolFault =
  | 'malformed_json'
  | 'bad_shape'
  | 'bad_field'
  | 'unknown_binary_kind'
  | 'truncated_binary'
  | 'field_too_long'
  | 'binary_not_supported'
  | 'wrong_opcode'

/** A frame that breaks the Phoenix wire format. Code: BC_ERR_PROTOCOL. */
export class ProtocolError extends BackchannelError {
  readonly fault: ProtocolFault

  constructor (fault: ProtocolFault, message: string, cause?: unknown) {
    super('BC_ERR_PROTOCOL', message, { statusCode: 502, cause })
    this.fault = fault
  }
}
