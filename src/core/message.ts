/** Commit message generation and templates (spec/api.md §8, cli.md §5.2). */
import { GitStoreError } from './errors.js';
import type { ChangeReport } from './types.js';

/** The automatic message for a change set: `+ a.txt`, `Batch cp: +3 ~1 -2`, `No changes`. */
export function autoMessage(report: ChangeReport, operation?: string | null): string {
  const adds = report.add.length;
  const updates = report.update.length;
  const deletes = report.delete.length;
  const total = adds + updates + deletes;
  if (total === 0) return 'No changes';
  if (total === 1) {
    if (adds === 1) return `+ ${report.add[0].path}${typeSuffix(report.add[0].type)}`;
    if (updates === 1) return `~ ${report.update[0].path}${typeSuffix(report.update[0].type)}`;
    return `- ${report.delete[0].path}`;
  }
  const parts: string[] = [];
  if (adds) parts.push(`+${adds}`);
  if (updates) parts.push(`~${updates}`);
  if (deletes) parts.push(`-${deletes}`);
  const prefix = operation ? `Batch ${operation}:` : 'Batch:';
  return `${prefix} ${parts.join(' ')}`;
}

function typeSuffix(type: string): string {
  return type === 'blob' ? '' : ` (${type})`;
}

export interface FormatMessageOptions {
  /**
   * Python `str.format` rules: `{{`/`}}` escape braces, unknown or positional
   * placeholders and unbalanced braces throw. Off (the library default), every
   * known placeholder is replaced and all other text is kept verbatim.
   */
  strict?: boolean;
}

/** Thrown by strict templates that name an unknown placeholder or have unbalanced braces. */
export class MessageTemplateError extends GitStoreError {
  override code = 'BAD_MESSAGE_TEMPLATE';
}

/**
 * The final commit message: `template` when it has no `{`, the auto message
 * when it is empty or absent, otherwise the template with placeholders filled.
 */
export function formatCommitMessage(
  template: string | null | undefined,
  report: ChangeReport,
  op?: string | null,
  opts: FormatMessageOptions = {},
): string {
  const auto = autoMessage(report, op);
  if (!template) return auto;
  // cli.md §5.2: without '{' the message is verbatim, even with a '}' that str.format would reject.
  if (!template.includes('{')) return template;
  const values: Record<string, string> = {
    default: auto,
    add_count: String(report.add.length),
    update_count: String(report.update.length),
    delete_count: String(report.delete.length),
    total_count: String(report.add.length + report.update.length + report.delete.length),
    op: op ?? '',
  };
  return opts.strict ? formatStrict(template, values) : formatLenient(template, values);
}

function formatLenient(template: string, values: Record<string, string>): string {
  return template.replace(/\{(default|add_count|update_count|delete_count|total_count|op)\}/g, (_m, name: string) => values[name]);
}

function formatStrict(template: string, values: Record<string, string>): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const ch = template[i];
    if (ch === '{' && template[i + 1] === '{') {
      out += '{';
      i += 2;
    } else if (ch === '}' && template[i + 1] === '}') {
      out += '}';
      i += 2;
    } else if (ch === '{') {
      const end = template.indexOf('}', i);
      const field = end < 0 ? template.slice(i) : template.slice(i, end + 1);
      const name = end < 0 ? '' : template.slice(i + 1, end);
      if (end < 0 || !Object.prototype.hasOwnProperty.call(values, name)) {
        throw new MessageTemplateError(`Unknown placeholder in message: ${field}`);
      }
      out += values[name];
      i = end + 1;
    } else if (ch === '}') {
      throw new MessageTemplateError(`Unknown placeholder in message: unbalanced '}' in ${template}`);
    } else {
      out += ch;
      i += 1;
    }
  }
  return out;
}
