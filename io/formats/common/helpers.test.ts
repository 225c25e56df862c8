import fc from 'fast-check';
import { dashToNull, isDash, spanOrNull } from './dash.js';
import { IpPortSpans, splitIpPort } from './ip-port.js';
import { RequestLineSpans, splitRequestLine } from './request-line.js';
import { decodeLogLayer, decodeTwice } from './url-decode.js';
import { clfTimeToIso } from './clf-time.js';
import { isBlankLine, contentEnd } from './blank.js';
import { isElbTestMessage } from './elb-test-message.js';

describe('dashToNull', () => {
  it('turns only a lone dash into null', () => {
    expect(dashToNull('-')).toBeNull();
    expect(dashToNull('--')).toBe('--');
    expect(dashToNull('')).toBe('');
    expect(isDash('a-b', 1, 2)).toBe(true);
    expect(spanOrNull('a-b', 0, 3)).toBe('a-b');
  });
});

describe('splitIpPort', () => {
  const split = (text: string) => {
    const out = new IpPortSpans();
    return splitIpPort(text, 0, text.length, out) ? [text.slice(out.ipStart, out.ipEnd), text.slice(out.portStart, out.portEnd)] : null;
  };

  it('splits on the last colon so unbracketed IPv6 addresses keep their colons', () => {
    expect(split('192.168.131.39:2817')).toEqual(['192.168.131.39', '2817']);
    expect(split('2601:6bbc:c529:9dad:6bbc:c529:9dad:6bbc:50599')).toEqual(['2601:6bbc:c529:9dad:6bbc:c529:9dad:6bbc', '50599']);
    expect(split('[2001:db8::1]:443')).toEqual(['2001:db8::1', '443']);
  });

  it('refuses text without an address or a port', () => {
    expect(split('10.0.0.1')).toBeNull();
    expect(split(':80')).toBeNull();
    expect(split('10.0.0.1:')).toBeNull();
  });
});

describe('splitRequestLine', () => {
  const split = (text: string) => {
    const out = new RequestLineSpans();
    splitRequestLine(text, 0, text.length, out);
    return [text.slice(out.verbStart, out.verbEnd), text.slice(out.urlStart, out.urlEnd), text.slice(out.protoStart, out.protoEnd)];
  };

  it('takes the method up to the first space and the protocol after the last, so URL spaces survive', () => {
    expect(split('GET http://h:80/a b;c HTTP/1.1')).toEqual(['GET', 'http://h:80/a b;c', 'HTTP/1.1']);
    expect(split('- http://host:80- -')).toEqual(['-', 'http://host:80-', '-']);
    expect(split('- - - ')).toEqual(['-', '-', '-']);
    expect(split('GET /x')).toEqual(['GET', '/x', '']);
    expect(split('-')).toEqual(['-', '', '']);
  });
});

describe('decodeLogLayer', () => {
  it('removes one layer of percent-encoding only', () => {
    expect(decodeLogLayer('Mozilla/5.0%20(X11)')).toBe('Mozilla/5.0 (X11)');
    expect(decodeLogLayer('a%2520b%252C')).toBe('a%20b%2C');
    expect(decodeLogLayer('a+b')).toBe('a+b');
  });

  it('decodes multi-byte UTF-8 and never throws on malformed escapes', () => {
    expect(decodeLogLayer('%E2%82%AC%20%C3%A4')).toBe('€ ä');
    expect(decodeLogLayer('%zz%4%')).toBe('%zz%4%');
    expect(decodeLogLayer('%C3(')).toBe('\ufffd(');
  });

  it('returns the same string when there is nothing to decode', () => {
    const value = 'plain';
    expect(decodeLogLayer(value)).toBe(value);
  });
});

describe('clfTimeToIso', () => {
  it('converts S3 bracket times to ISO-8601 UTC, applying the offset', () => {
    expect(clfTimeToIso('[06/Feb/2019:00:00:38 +0000]', 1, 27)).toBe('2019-02-06T00:00:38Z');
    expect(clfTimeToIso('01/Jan/2020:00:30:00 +0100', 0, 26)).toBe('2019-12-31T23:30:00Z');
    expect(clfTimeToIso('31/Dec/2019:23:30:00 -0130', 0, 26)).toBe('2020-01-01T01:00:00Z');
  });

  it('returns null for other shapes and impossible dates', () => {
    for (const text of [
      '06/Feb/2019:00:00:38',
      '31/Apr/2019:00:00:38 +0000',
      '06/Fab/2019:00:00:38 +0000',
      '06/Feb/2019:24:00:00 +0000',
      '06/Feb/2019 00:00:38 +0000',
    ]) {
      expect(clfTimeToIso(text, 0, text.length)).toBeNull();
    }
  });
});

describe('isBlankLine', () => {
  it('treats whitespace-only lines as blank and strips one trailing carriage return', () => {
    expect(isBlankLine('')).toBe(true);
    expect(isBlankLine(' \t\r')).toBe(true);
    expect(isBlankLine(' a')).toBe(false);
    expect(contentEnd('ab\r')).toBe(2);
  });
});

describe('isElbTestMessage', () => {
  it('recognises the line of ELBAccessLogTestFile', () => {
    expect(isElbTestMessage('Enable AccessLog for ELB: my-loadbalancer at 2014-02-15T23:39:43.945958Z')).toBe(true);
    expect(isElbTestMessage('http 2018-07-02T22:23:00.186641Z app/x/y')).toBe(false);
  });
});

describe('decodeTwice', () => {
  it('removes both layers of a doubly encoded user agent', () => {
    expect(decodeTwice('Mozilla/5.0%2520(compatible;%2520nsrbot/1.0;%2520&%2343;http://x)')).toBe(
      'Mozilla/5.0 (compatible; nsrbot/1.0; &#43;http://x)',
    );
    expect(decodeTwice('caf%25C3%25A9%2520%2541')).toBe('café A');
  });

  it('equals two passes of decodeLogLayer on any text made of escapes, hex digits and other characters', () => {
    const piece = fc.constantFrom('%', '%25', '%20', '%41', '%C3', '%A9', '%E2%82%AC', '2', '5', 'a', 'F', 'g', ' ', '/', 'é', '(');
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 12 }).map((parts) => parts.join('')),
        (text) => {
          expect(decodeTwice(text)).toBe(decodeLogLayer(decodeLogLayer(text)));
        },
      ),
      { numRuns: 5000 },
    );
  });
});
