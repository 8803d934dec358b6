import { BackchannelError } from '../errors.ts'

/** Bad command-line arguments: exit code 2 and a one-line message. */
export class UsageError extends BackchannelError {
  constructor (message: string) {
    super('BC_ERR_USAGE', message, { statusCode: 400 })
  }
}
