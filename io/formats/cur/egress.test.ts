import { classifyDataTransfer, isBillableUsageLineItem, isDataTransferOut, usageTypeLocation } from './index.js';

describe('isDataTransferOut', () => {
  test('accepts internet egress with a region prefix, without one (us-east-1) and with a CloudFront geography', () => {
    expect(isDataTransferOut('USE1-DataTransfer-Out-Bytes', 'AWSDataTransfer')).toBe(true);
    expect(isDataTransferOut('USW2-DataTransfer-Out-Bytes', 'AmazonEC2')).toBe(true);
    expect(isDataTransferOut('EUC1-DataTransfer-Out-Bytes')).toBe(true);
    expect(isDataTransferOut('DataTransfer-Out-Bytes', 'AmazonS3')).toBe(true);
    expect(isDataTransferOut('region-DataTransfer-Out-Bytes')).toBe(true);
    expect(isDataTransferOut('EU-DataTransfer-Out-Bytes', 'AmazonCloudFront')).toBe(true);
  });

  test('rejects region-to-CloudFront origin traffic, which is free and not internet egress', () => {
    expect(isDataTransferOut('USE1-CloudFront-Out-Bytes')).toBe(false);
    expect(isDataTransferOut('APN2-CloudFront-Out-Bytes', 'AWSDataTransfer')).toBe(false);
    expect(isDataTransferOut('region-CloudFront-Out-Bytes')).toBe(false);
  });

  test('rejects inter-region, inter-AZ, inbound, edge-to-origin, S3-to-EC2 and NAT processing usage types', () => {
    for (const usageType of [
      'USE2-APS3-AWS-Out-Bytes',
      'APS3-USE2-AWS-In-Bytes',
      'USE2-DataTransfer-Regional-Bytes',
      'USE1-DataTransfer-In-Bytes',
      'US-DataTransfer-Out-OBytes',
      'USE1-C3DataTransfer-Out-Bytes',
      'USE1-NatGateway-Bytes',
      'USW2-BoxUsage:m2.2xlarge',
      'EU-LAX1-AWS-Out-Bytes',
    ]) {
      expect({ usageType, out: isDataTransferOut(usageType) }).toEqual({ usageType, out: false });
    }
  });
});

describe('classifyDataTransfer', () => {
  test('names the kind of each documented usage type', () => {
    expect(
      [
        'USE2-DataTransfer-Regional-Bytes',
        'APS3-USE2-AWS-In-Bytes',
        'USE2-APS3-AWS-Out-Bytes',
        'APN2-CloudFront-Out-Bytes',
        'USE1-CloudFront-In-Bytes',
        'EU-DataTransfer-Out-OBytes',
        'USE1-C3DataTransfer-In-Bytes',
        'USE1-NatGateway-Bytes',
        'USE1-AWS-Out-Bytes',
        'USE1-USW2-AWS-Out-ABytes-T1',
        'USW2-BoxUsage:m2.2xlarge',
      ].map(classifyDataTransfer),
    ).toEqual([
      'regional',
      'inter-region-in',
      'inter-region-out',
      'cloudfront-origin-out',
      'cloudfront-origin-in',
      'cloudfront-edge-to-origin',
      's3-to-ec2',
      'nat-gateway-processing',
      'inter-region-out',
      'inter-region-out',
      'none',
    ]);
  });
});

describe('isBillableUsageLineItem', () => {
  test('keeps usage lines and leaves out tax, credit, refund and fee lines', () => {
    expect(
      ['Usage', 'DiscountedUsage', 'SavingsPlanCoveredUsage', 'Tax', 'Credit', 'Refund', 'Fee', 'RIFee', null].map(isBillableUsageLineItem),
    ).toEqual([true, true, true, false, false, false, false, false, false]);
  });
});

describe('usageTypeLocation', () => {
  test('reads EU as a CloudFront geography for AmazonCloudFront and as a region otherwise', () => {
    expect(usageTypeLocation('EU-DataTransfer-Out-Bytes', 'AmazonCloudFront')).toEqual({ code: 'EU', scope: 'cloudfront-geo' });
    expect(usageTypeLocation('EU-DataTransfer-Out-Bytes', 'AmazonEC2')).toEqual({ code: 'EU', scope: 'region' });
  });

  test('treats a usage type without a prefix as us-east-1', () => {
    expect(usageTypeLocation('DataTransfer-Out-Bytes')).toEqual({ code: null, scope: 'region' });
    expect(usageTypeLocation('Requests-Tier1')).toEqual({ code: null, scope: 'region' });
    expect(usageTypeLocation('USE2-DataTransfer-Out-Bytes')).toEqual({ code: 'USE2', scope: 'region' });
  });
});
