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
  const text = Buffer.from(data.buffer, data.byteOffset, data.length).toString('utf8');
  const split = text.indexOf('\n\n');
  const head = split < 0 ? text.replace(/\n$/, '') : text.slice(0, split);
  const message = split < 0 ? '' : text.slice(split + 2);
  const headers: Array<[string, string]> = [];
  for (const line of head.length ? head.split('\n') : []) {
    const last = headers[headers.length - 1];
    if (line.startsWith(' ') && last) {
      last[1] += `\n${line.slice(1)}`;
      continue;
    }
    const sp = line.indexOf(' ');
    headers.push(sp < 0 ? [line, ''] : [line.slice(0, sp), line.slice(sp + 1)]);
  }
  return { headers, message };
}

export function formatHeaderBlock(block: HeaderBlock): Buffer {
  let out = '';
  for (const [key, value] of block.headers) out += `${key} ${value.split('\n').join('\n ')}\n`;
  return Buffer.from(`${out}\n${block.message}`, 'utf8');
}
