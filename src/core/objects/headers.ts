/**
 * The header block shared by commit and tag objects: `key value` lines, a
 * value continued on following lines that start with one space (gpgsig,
 * mergetag), then a blank line and the free-form message.
 */
export interface HeaderBlock {
  headers: Array<[string, string]>;
  message: string;
}

export function parseHeaderBlock(data: Uint8Array): HeaderBlock {
  const headers: Array<[string, string]> = [];
  const message = scanHeaderBlock(data, (key, value) => headers.push([key, value]));
  return { headers, message };
}

/**
 * Calls `visit` for each header in order, once its continuation lines are
 * joined, and returns the message. Lets a decoder pick fields without
 * building the header list (commits are parsed by the hundred thousand in a
 * log).
 */
export function scanHeaderBlock(data: Uint8Array, visit: (key: string, value: string) => void): string {
  const text = Buffer.from(data.buffer, data.byteOffset, data.length).toString('utf8');
  const split = text.indexOf('\n\n');
  // Without a blank line everything is header; one trailing newline is not an empty header line.
  const headEnd = split >= 0 ? split : text.endsWith('\n') ? text.length - 1 : text.length;
  let key: string | null = null;
  let value = '';
  for (let pos = 0; pos < headEnd; ) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0 || nl > headEnd) nl = headEnd;
    if (text.charCodeAt(pos) === 32 && key !== null) {
      value += `\n${text.slice(pos + 1, nl)}`;
    } else {
      if (key !== null) visit(key, value);
      const sp = text.indexOf(' ', pos);
      if (sp < 0 || sp > nl) {
        key = text.slice(pos, nl);
        value = '';
      } else {
        key = text.slice(pos, sp);
        value = text.slice(sp + 1, nl);
      }
    }
    pos = nl + 1;
  }
  if (key !== null) visit(key, value);
  return split < 0 ? '' : text.slice(split + 2);
}

export function formatHeaderBlock(block: HeaderBlock): Buffer {
  let out = '';
  for (const [key, value] of block.headers) out += `${key} ${value.split('\n').join('\n ')}\n`;
  return Buffer.from(`${out}\n${block.message}`, 'utf8');
}
