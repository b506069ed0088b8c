/**
 * oclif `command_not_found` hook: click's usage error for an unknown command
 * or subcommand (`No such command '<x>'.`, exit 2), instead of oclif's text.
 */
import type { Hook } from '@oclif/core';
import { formatUsageError } from '../errors.js';

const hook: Hook<'command_not_found'> = async function (opts) {
  const parts = opts.id.split(':');
  // The longest known topic prefix is the group the unknown name was given to.
  let group: string[] = [];
  for (let n = parts.length - 1; n > 0; n--) {
    const prefix = parts.slice(0, n).join(':');
    if (opts.config.findTopic(prefix) || opts.config.findCommand(prefix)) {
      group = parts.slice(0, n);
      break;
    }
  }
  const unknown = parts[group.length];
  // `vost --bogus` reaches oclif as a command id; click calls it an option.
  const message = ['-r', '--repo'].includes(unknown)
    ? `Option '${unknown}' requires an argument.`
    : unknown.startsWith('-')
      ? `No such option: ${unknown}`
      : `No such command '${unknown}'.`;
  const text = formatUsageError(message, {
    commandPath: group.join(' '),
    usage: '[OPTIONS] COMMAND [ARGS]...',
  });
  process.stderr.write(text);
  process.exit(2);
};

export default hook;
