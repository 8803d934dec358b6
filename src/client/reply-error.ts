import { BackchannelError } from '../errors.ts'

/** The channel replied with a status other than ok; `response` is its payload. */
export class ReplyError extends BackchannelError {
  readonly status: string
  readonly response: unknown

  constructor (status: string, response: unknown) {
    super('BC_ERR_REPLY', `the channel replied "${status}"`, { statusCode: 422 })
    this.status = status
    this.response = response
  }
}
