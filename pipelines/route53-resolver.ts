/**
 * @module pipelines/route53-resolver
 * `logbeam run route53_resolver`: Route 53 Resolver query logs -> Hive-partitioned Parquet (`year=/month=/day=` by
 * event time), rejects to `<output>/_dead_letter` as JSON lines.
 */
import { defineLogPipeline } from './define-log-pipeline.js';
import { route53ResolverFormat } from '../io/formats/route53-resolver/index.js';

/**
 * @example (await runDirect(route53ResolverPipeline.create({ input: 'samples/route53_resolver', output: 'out/route53_resolver' }).pipeline)).commits
 */
export const route53ResolverPipeline = defineLogPipeline(import.meta.url, 'route53_resolver', route53ResolverFormat);
