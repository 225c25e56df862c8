/**
 * @module formats/common/elb-test-message
 * When access logging is enabled, Elastic Load Balancing writes a test object (`ELBAccessLogTestFile`) whose
 * only line reads `Enable AccessLog for ELB: <load-balancer> at <time>`. It is not a request, so the ALB and
 * Classic ELB parsers skip it rather than reject it.
 */
import { bytesStartWith } from './byte-tokenizer.js';

const PREFIX = 'Enable AccessLog for ELB:';

/**
 * `true` for the line of ELB's access-log test file.
 * @example isElbTestMessage('Enable AccessLog for ELB: my-alb at 2026-09-30T10:00:00.000Z') // true
 */
export function isElbTestMessage(text: string): boolean {
  return text.charCodeAt(0) === 69 && text.startsWith(PREFIX); // 'E': no ALB or CLB line starts with it
}

const PREFIX_BYTES = Buffer.from(PREFIX, 'latin1');

/** `isElbTestMessage` on the bytes `bytes[start, end)` of a line. */
export function isElbTestMessageBytes(bytes: Uint8Array, start: number, end: number): boolean {
  return bytesStartWith(bytes, start, end, PREFIX_BYTES);
}
