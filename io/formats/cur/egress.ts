/**
 * @module formats/cur/egress
 * Classifies CUR usage types by data-transfer direction, to find internet egress. The grammar and its traps come
 * from AWS's "Understanding data transfer charges" and the S3/CloudFront usage-type tables (see
 * docs/formats/cur.md, "Finding internet egress"): us-east-1 may have no region prefix, `<region>-CloudFront-Out-Bytes`
 * is free origin traffic, `-AWS-In-Bytes` mirrors `-AWS-Out-Bytes`, `EU` is Ireland or CloudFront's Europe.
 * Suffix tests only, no regex, since this runs per billing line.
 */

/** What a usage type says about data transfer. */
export type DataTransferKind =
  | 'internet-out' //        `[<region>|<geo>-]DataTransfer-Out-Bytes`: to the internet (or CloudFront edge to viewers)
  | 'internet-in' //         `[<region>-]DataTransfer-In-Bytes` ($0)
  | 'inter-region-out' //    `<src>-<dst>-AWS-Out-Bytes`, `<src>-AWS-Out-Bytes` (peering), `…-AWS-Out-ABytes[-T1|-T2]` (S3 accelerated)
  | 'inter-region-in' //     `<dst>-<src>-AWS-In-Bytes` ($0 mirror of the out line)
  | 'regional' //            `<region>-DataTransfer-Regional-Bytes`: inter-AZ, billed on both sides
  | 'cloudfront-origin-out' // `[<region>-]CloudFront-Out-Bytes`, `CloudFront-Bytes-Out`: region to CloudFront, $0 since 2014-12
  | 'cloudfront-origin-in' // `<region>-CloudFront-In-Bytes`
  | 'cloudfront-edge-to-origin' // `<geo>-DataTransfer-Out-OBytes`: edge to origin (POST/PUT, edge functions)
  | 's3-to-ec2' //           `<region>-C3DataTransfer-Out-Bytes` / `-In-Bytes`: same region S3 <-> EC2
  | 'nat-gateway-processing' // `<region>-NatGateway-Bytes`: a processing charge, not a transfer
  | 'none';

/** `true` when `usageType` ends with `suffix` at a word start: the whole string, or preceded by `-`. */
function endsWithWord(usageType: string, suffix: string): boolean {
  if (!usageType.endsWith(suffix)) return false;
  const before = usageType.length - suffix.length;
  return before === 0 || usageType.charCodeAt(before - 1) === 45;
}

function isAccelerated(usageType: string, direction: 'Out' | 'In'): boolean {
  const marker = `-AWS-${direction}-ABytes`;
  return usageType.endsWith(marker) || usageType.endsWith(`${marker}-T1`) || usageType.endsWith(`${marker}-T2`);
}

/**
 * The data-transfer kind of a CUR usage type (`line_item_usage_type`).
 * @example classifyDataTransfer('USE2-APS3-AWS-Out-Bytes') // 'inter-region-out'
 * @example classifyDataTransfer('APN2-CloudFront-Out-Bytes') // 'cloudfront-origin-out'
 */
export function classifyDataTransfer(usageType: string): DataTransferKind {
  if (endsWithWord(usageType, 'DataTransfer-Out-Bytes')) return 'internet-out';
  if (endsWithWord(usageType, 'DataTransfer-In-Bytes')) return 'internet-in';
  if (endsWithWord(usageType, 'DataTransfer-Regional-Bytes')) return 'regional';
  if (endsWithWord(usageType, 'DataTransfer-Out-OBytes')) return 'cloudfront-edge-to-origin';
  if (endsWithWord(usageType, 'CloudFront-Out-Bytes') || endsWithWord(usageType, 'CloudFront-Bytes-Out')) return 'cloudfront-origin-out';
  if (endsWithWord(usageType, 'CloudFront-In-Bytes')) return 'cloudfront-origin-in';
  if (endsWithWord(usageType, 'AWS-Out-Bytes') || isAccelerated(usageType, 'Out')) return 'inter-region-out';
  if (endsWithWord(usageType, 'AWS-In-Bytes') || isAccelerated(usageType, 'In')) return 'inter-region-in';
  if (endsWithWord(usageType, 'C3DataTransfer-Out-Bytes') || endsWithWord(usageType, 'C3DataTransfer-In-Bytes')) return 's3-to-ec2';
  if (endsWithWord(usageType, 'NatGateway-Bytes')) return 'nat-gateway-processing';
  return 'none';
}

/**
 * `true` for internet-bound data transfer out: usage types matching `(^|-)DataTransfer-Out-Bytes$`, which
 * covers every region prefix, no prefix (us-east-1), and CloudFront's geographic prefixes (bytes served to
 * viewers). Excluded traps: `<region>-CloudFront-Out-Bytes` (free origin traffic), `-AWS-Out-Bytes`
 * (inter-region), `-DataTransfer-Regional-Bytes` (inter-AZ), `-DataTransfer-Out-OBytes` (edge to origin),
 * `-C3DataTransfer-Out-Bytes` (S3 to EC2), `-DataTransfer-In-Bytes`.
 *
 * `productCode` (`line_item_product_code`) never changes the answer: egress lines carry `AWSDataTransfer`,
 * `AmazonEC2`, `AmazonS3`, `AmazonCloudFront`, … and the AWS doc warns against filtering on one. It is accepted
 * so call sites pass it uniformly with `usageTypeLocation`, where it does matter. Combine with
 * `isBillableUsageLineItem` to leave out Tax, Credit, Refund and Fee lines.
 * @example isDataTransferOut('DataTransfer-Out-Bytes') // true (us-east-1 has no prefix)
 * @example isDataTransferOut('USE1-CloudFront-Out-Bytes') // false
 */
export function isDataTransferOut(usageType: string, productCode?: string): boolean {
  void productCode;
  return classifyDataTransfer(usageType) === 'internet-out';
}

/**
 * `true` for the line item types that measure usage (`Usage`, `DiscountedUsage`, `SavingsPlanCoveredUsage`), as
 * the AWS egress filter requires; Tax, Credit, Refund, Fee, RIFee and Savings Plan fee/negation lines are not.
 */
export function isBillableUsageLineItem(lineItemType: string | null): boolean {
  return lineItemType === 'Usage' || lineItemType === 'DiscountedUsage' || lineItemType === 'SavingsPlanCoveredUsage';
}

/** Where a usage type's prefix points. */
export interface UsageTypeLocation {
  /** The prefix (`USE2`, `EU`, `AP`), or null when there is none (us-east-1). */
  readonly code: string | null;
  /** `region` for AWS region codes, `cloudfront-geo` for CloudFront's viewer geographies. */
  readonly scope: 'region' | 'cloudfront-geo';
}

const CLOUDFRONT_GEOS = new Set(['AP', 'AU', 'CA', 'EU', 'IN', 'JP', 'ME', 'SA', 'US', 'ZA']);

/**
 * The location prefix of a usage type. `EU` means eu-west-1 for regional products but "Europe and Israel" for
 * `AmazonCloudFront`, so the product code decides the scope (docs/formats/cur.md). A usage type without a prefix is
 * us-east-1 (`{ code: null, scope: 'region' }`).
 * @example usageTypeLocation('EU-DataTransfer-Out-Bytes', 'AmazonCloudFront') // { code: 'EU', scope: 'cloudfront-geo' }
 */
export function usageTypeLocation(usageType: string, productCode?: string): UsageTypeLocation {
  const dash = usageType.indexOf('-');
  const prefix = dash > 0 ? usageType.slice(0, dash) : '';
  // A region code is upper-case letters, optionally digits (USE1, EU, CPT); `DataTransfer` etc. is not a prefix.
  let isCode = prefix.length >= 2 && prefix.length <= 5;
  for (let i = 0; isCode && i < prefix.length; i++) {
    const code = prefix.charCodeAt(i);
    isCode = (code >= 65 && code <= 90) || (i > 0 && code >= 48 && code <= 57);
  }
  if (!isCode) return { code: null, scope: 'region' };
  const geo = productCode === 'AmazonCloudFront' && CLOUDFRONT_GEOS.has(prefix);
  return { code: prefix, scope: geo ? 'cloudfront-geo' : 'region' };
}
