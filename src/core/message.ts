/** Commit message generation and templates (spec/api.md §8, cli.md §5.2). */
import { GitStoreError } from './errors.js';
import { applyFormat, FormatSpecError } from './format-spec.js';
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

/** Placeholder values: the counts are ints, so format specs treat them as Python would. */
type Values = Record<string, string | number>;

export interface FormatMessageOptions {
  /**
   * Python `str.format` rules: `{{`/`}}` escape braces, fields may add `!conv`
   * and `:spec`; unknown or positional placeholders, bad specs and unbalanced
   * braces throw. Off (the library default), every bare known placeholder is
   * replaced and all other text is kept verbatim.
   */
  strict?: boolean;
}

/** Thrown by strict templates that name an unknown placeholder, have unbalanced braces or a bad format spec. */
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
  const values: Values = {
    default: auto,
    add_count: report.add.length,
    update_count: report.update.length,
    delete_count: report.delete.length,
    total_count: report.add.length + report.update.length + report.delete.length,
    op: op ?? '',
  };
  return opts.strict ? formatStrict(template, values) : formatLenient(template, values);
}

function formatLenient(template: string, values: Values): string {
  return template.replace(/\{(default|add_count|update_count|delete_count|total_count|op)\}/g, (_m, name: string) => String(values[name]));
}

function formatStrict(template: string, values: Values): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const ch = template[i];
    if ((ch === '{' || ch === '}') && template[i + 1] === ch) {
      out += ch;
      i += 2;
    } else if (ch === '{') {
      const end = fieldEnd(template, i);
      out += formatField(template.slice(i, end), values);
      i = end;
    } else if (ch === '}') {
      throw new MessageTemplateError(`Unknown placeholder in message: unbalanced '}' in ${template}`);
    } else {
      out += ch;
      i += 1;
    }
  }
  return out;
}

/** Index just past the `}` closing the field opened at `start`, nested braces counted as str.format does. */
function fieldEnd(template: string, start: number): number {
  let depth = 0;
  for (let i = start; i < template.length; i += 1) {
    if (template[i] === '{') depth += 1;
    else if (template[i] === '}' && --depth === 0) return i + 1;
  }
  throw new MessageTemplateError(`Unknown placeholder in message: ${template.slice(start)}`);
}

/**
 * One `{name[!conv][:spec]}` field. Only the six names qualify: positional and
 * auto-numbered fields, attribute or index access, and fields nested in the
 * spec have no meaning for a commit message, so they count as unknown.
 */
function formatField(field: string, values: Values): string {
  const body = field.slice(1, -1);
  const name = /^[^!:]*/.exec(body)?.[0] ?? '';
  if (/[{}]/.test(body) || !Object.prototype.hasOwnProperty.call(values, name)) {
    throw new MessageTemplateError(`Unknown placeholder in message: ${field}`);
  }
  try {
    return applyFormat(values[name], body.slice(name.length));
  } catch (err) {
    if (!(err instanceof FormatSpecError)) throw err;
    throw new MessageTemplateError(`Invalid format in message: ${field} (${err.message})`);
  }
}
