/**
 * @module formats/common/ip-port
 * Splits the `ip:port` fields of ELB logs. IPv6 addresses are written without brackets
 * (`2601:6bbc:c529:9dad:6bbc:c529:9dad:6bbc:50599`), so the port is whatever follows the LAST colon.
 * A bracketed form (`[2001:db8::1]:443`) is accepted too, with the brackets dropped from the address.
 */

/** Where the address and the port lie in the text; filled by `splitIpPort`, reused across lines. */
export class IpPortSpans {
  ipStart = 0;
  ipEnd = 0;
  portStart = 0;
  portEnd = 0;
}

/**
 * Finds the address and port of `text[start, end)`, split on the last `:`. Returns `false` when there is
 * no colon, or nothing before or after it (the caller rejects the field).
 * @example splitIpPort('1.2.3.4:80', 0, 10, out) // true; out: ip [0,7), port [8,10)
 */
export function splitIpPort(text: string, start: number, end: number, out: IpPortSpans): boolean {
  const colon = text.lastIndexOf(':', end - 1);
  if (colon <= start || colon === end - 1) return false;
  let ipStart = start;
  let ipEnd = colon;
  if (text.charCodeAt(start) === 91 && text.charCodeAt(colon - 1) === 93 && colon - start > 2) {
    ipStart = start + 1;
    ipEnd = colon - 1;
  }
  out.ipStart = ipStart;
  out.ipEnd = ipEnd;
  out.portStart = colon + 1;
  out.portEnd = end;
  return true;
}
