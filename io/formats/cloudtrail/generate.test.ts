import fc from 'fast-check';
import { utcParts } from '../../../core/time.js';
import { cloudTrailFormat, cloudTrailSchema, generateCloudTrailDocuments, type CloudTrailRecord } from './index.js';

function recordTexts(documents: Iterable<string>): string[] {
  const texts: string[] = [];
  for (const document of documents)
    for (const record of (JSON.parse(document) as { Records: unknown[] }).Records) texts.push(JSON.stringify(record));
  return texts;
}

function parseAll(documents: Iterable<string>): CloudTrailRecord[] {
  const parser = cloudTrailFormat.createParser();
  return recordTexts(documents).map((text, i) => parser.parse(text, i + 1) as CloudTrailRecord);
}

const SCHEMA_FIELDS = new Set(cloudTrailSchema.fields.map((field) => field.name));

/**
 * The record an event should become, by the documented rules: each schema column is the event's key of the same
 * name (null when absent), `"true"`/`"false"` strings in boolean columns are booleans, and keys the schema does
 * not name are kept in `extra`.
 */
function meant(event: Record<string, unknown>): Record<string, unknown> {
  const unknownKeys = Object.keys(event).filter((key) => !SCHEMA_FIELDS.has(key));
  return Object.fromEntries(
    cloudTrailSchema.fields.map((field) => {
      if (field.name === 'extra')
        return [field.name, unknownKeys.length === 0 ? null : Object.fromEntries(unknownKeys.map((key) => [key, event[key]]))];
      const value = event[field.name] ?? null;
      return [field.name, field.type === 'boolean' && typeof value === 'string' ? value === 'true' : value];
    }),
  );
}

describe('generateCloudTrailDocuments', () => {
  test('yields Records documents of the requested size, the last holding the remainder', () => {
    const sizes = [...generateCloudTrailDocuments({ records: 250, seed: 1, recordsPerFile: 100 })].map(
      (doc) => (JSON.parse(doc) as { Records: unknown[] }).Records.length,
    );
    expect(sizes).toEqual([100, 100, 50]);
  });

  test('is deterministic in its seed', () => {
    const a = [...generateCloudTrailDocuments({ records: 30, seed: 5 })];
    expect([...generateCloudTrailDocuments({ records: 30, seed: 5 })]).toEqual(a);
    expect([...generateCloudTrailDocuments({ records: 30, seed: 6 })]).not.toEqual(a);
  });

  test('mixes principal types, AccessDenied errors, read and write calls, regions, nights and weekends', () => {
    const records = parseAll(generateCloudTrailDocuments({ records: 2000, seed: 11 }));
    const types = new Set(records.map((r) => (r.userIdentity as { type: string }).type));
    expect([...types].sort()).toEqual(['AWSService', 'AssumedRole', 'IAMUser', 'Root']);
    expect(records.some((r) => r.errorCode === 'AccessDenied')).toBe(true);
    expect(new Set(records.map((r) => r.readOnly))).toEqual(new Set([true, false]));
    expect(new Set(records.map((r) => r.awsRegion)).size).toBeGreaterThanOrEqual(4);
    const parts = records.map((r) => utcParts(cloudTrailFormat.eventTimeMicros(r)!));
    expect(parts.some((p) => p.dayOfWeek === 0 || p.dayOfWeek === 6)).toBe(true);
    expect(parts.some((p) => p.hour < 5)).toBe(true);
  });

  test('round-trips through the parser: each event parses to the values it was written with, field by field', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 1, max: 200 }), (seed, records) => {
        const parser = cloudTrailFormat.createParser();
        const events = [...generateCloudTrailDocuments({ records, seed, recordsPerFile: 37 })].flatMap(
          (document) => (JSON.parse(document) as { Records: Array<Record<string, unknown>> }).Records,
        );
        expect(events).toHaveLength(records);
        events.forEach((event, index) => {
          const record = parser.parse(JSON.stringify(event), index + 1);
          expect({ eventID: event['eventID'], record }).toEqual({ eventID: event['eventID'], record: meant(event) });
        });
      }),
      { numRuns: 30 },
    );
  });
});
