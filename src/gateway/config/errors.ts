/**
 * The one configuration error: start-up stops with every problem found, each
 * naming where it is (an environment variable, or a JSON path in the file)
 * and what was expected. Messages never contain a secret's value.
 */
import { BackchannelError } from '../../errors.ts'

export class ConfigError extends BackchannelError {
  /** One line per problem, e.g. `/channels/2/replay: must be integer`. */
  readonly problems: readonly string[]

  constructor (problems: readonly string[], options: { heading?: string, cause?: unknown } = {}) {
    const heading = options.heading ?? 'invalid configuration'
    super('BC_ERR_CONFIG', `${heading}:\n${problems.map((p) => `  ${p}`).join('\n')}`, {
      statusCode: 500,
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    })
    this.problems = Object.freeze([...problems])
  }
}
