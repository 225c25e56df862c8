/**
 * @module formats/common/request-line
 * Splits an HTTP request line as ELB logs it (`GET http://www.example.com:80/ HTTP/1.1`) into method, URL
 * and protocol. The URL is logged as the client sent it and may contain raw spaces (ALB
 * `classification_reason` = `SpaceInUri`), so the method ends at the FIRST space and the protocol starts
 * after the LAST space; everything between is the URL. Trailing spaces are ignored: Classic ELB writes
 * `"- - - "` for TCP listeners.
 */

/** Spans of the three parts; a part that is absent has `start === end`. Reused across lines. */
export class RequestLineSpans {
  verbStart = 0;
  verbEnd = 0;
  urlStart = 0;
  urlEnd = 0;
  protoStart = 0;
  protoEnd = 0;
}

/**
 * Splits `text[start, end)`:
 * - `GET /a b HTTP/1.1` → `GET`, `/a b`, `HTTP/1.1`;
 * - one space (`GET /a`) → method and URL, no protocol;
 * - no space (`-`) → method only.
 * @example splitRequestLine('GET / HTTP/1.1', 0, 14, out) // verb [0,3), url [4,5), proto [6,14)
 */
export function splitRequestLine(text: string, start: number, end: number, out: RequestLineSpans): void {
  while (end > start && text.charCodeAt(end - 1) === 32) end--;
  const first = text.indexOf(' ', start);
  if (first < 0 || first >= end) {
    out.verbStart = start;
    out.verbEnd = end;
    out.urlStart = out.urlEnd = out.protoStart = out.protoEnd = end;
    return;
  }
  out.verbStart = start;
  out.verbEnd = first;
  const last = text.lastIndexOf(' ', end - 1);
  if (last === first) {
    out.urlStart = first + 1;
    out.urlEnd = end;
    out.protoStart = out.protoEnd = end;
    return;
  }
  out.urlStart = first + 1;
  out.urlEnd = last;
  out.protoStart = last + 1;
  out.protoEnd = end;
}
