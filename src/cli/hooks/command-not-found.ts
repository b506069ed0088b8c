/**
 * oclif `command_not_found` hook. With a space topic separator oclif reads a
 * word after an argument-less command as part of the command id
 * (`vost gc extra` → `gc:extra`); such a call is handed back to that command,
 * whose own parser reports the extra argument as click does. A genuinely
 * unknown command gets click's usage error (`No such command '<x>'.`, exit 2).
 */
import type { Hook } from '@oclif/core';
import { formatUsageError } from '../errors.js';

const hook: Hook<'command_not_found'> = async function (opts) {
  const parts = opts.id.split(':');
  const argv = opts.argv ?? [];
  // The longest known prefix is the command or group the unknown word was given to.
  let group: string[] = [];
  for (let n = parts.length - 1; n > 0; n--) {
    const prefix = parts.slice(0, n).join(':');
    if (opts.config.findCommand(prefix)) return opts.config.runCommand(prefix, [...parts.slice(n), ...argv]);
    if (opts.config.findTopic(prefix)) {
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
