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
  // Without a blank line everything is header; one trailing newline is not an empty header line.
  const headEnd = split >= 0 ? split : text.endsWith('\n') ? text.length - 1 : text.length;
  const message = split < 0 ? '' : text.slice(split + 2);
  const headers: Array<[string, string]> = [];
  // indexOf scanning rather than split(): commits are parsed by the hundred thousand in a log.
  for (let pos = 0; pos < headEnd; ) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0 || nl > headEnd) nl = headEnd;
    const last = headers[headers.length - 1];
    if (text.charCodeAt(pos) === 32 && last) {
      last[1] += `\n${text.slice(pos + 1, nl)}`;
    } else {
      const sp = text.indexOf(' ', pos);
      headers.push(sp < 0 || sp > nl ? [text.slice(pos, nl), ''] : [text.slice(pos, sp), text.slice(sp + 1, nl)]);
    }
    pos = nl + 1;
  }
  return { headers, message };
}

export function formatHeaderBlock(block: HeaderBlock): Buffer {
  let out = '';
  for (const [key, value] of block.headers) out += `${key} ${value.split('\n').join('\n ')}\n`;
  return Buffer.from(`${out}\n${block.message}`, 'utf8');
}
