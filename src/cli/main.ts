#!/usr/bin/env node
/**
 * The `backchannel` command. Each subcommand lives in commands/; this file
 * only parses the first word, dispatches, and turns failures into exit codes.
 */
import { runDemo } from './commands/demo.ts'
import { runFakePhoenix } from './commands/fake-phoenix.ts'
import { UsageError } from './usage-error.ts'

const USAGE = `usage: backchannel <command> [options]

commands:
  fake-phoenix   run the fake Phoenix server (the test kit) on its own
  demo           start the fake Phoenix server and walk through the protocol
  help           show this text

Run "backchannel <command> --help" for a command's options.`

type Command = (args: string[]) => Promise<number>

const commands: Record<string, Command> = {
  'fake-phoenix': runFakePhoenix,
  demo: runDemo,
}

async function main (argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(`${USAGE}\n`)
    return name === undefined ? 2 : 0
  }
  const command = commands[name]
  if (command === undefined) {
    process.stderr.write(`backchannel: unknown command "${name}"\n\n${USAGE}\n`)
    return 2
  }
  return command(rest)
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code
}, (err: unknown) => {
  if (err instanceof UsageError) {
    process.stderr.write(`backchannel: ${err.message}\n`)
    process.exitCode = 2
    return
  }
  process.stderr.write(`backchannel: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
  process.exitCode = 1
})
