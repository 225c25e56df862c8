/**
 * Every flatten of a translated pipeline declares its inputs with its output's coder. Prism v2.62.0 rewrites a
 * flatten input's differing coder id to the output's coder throughout the pipeline: the CloudTrail
 * security-features join (records `bytes`, output `kv`) made `bytes` a KV of itself and Prism died of a stack
 * overflow. Needs Beam's model protos, so it runs in the portable suite.
 */
import { describe, expect, it } from '@jest/globals';
import { securityFeaturesPipeline } from '../../pipelines/security-features.js';
import { loadBeamProtos } from '../../runners/portable/beam-protos.js';
import { translatePipeline } from '../../runners/portable/translate.js';

interface Components {
  transforms: Record<string, { spec?: { urn: string }; inputs: Record<string, string>; outputs: Record<string, string> }>;
  pcollections: Record<string, { coder_id: string }>;
}

describe('flatten coders in the translated pipeline', () => {
  it('the security-features join gives both inputs of its flatten the KV coder of its output', () => {
    const { pipeline } = securityFeaturesPipeline.create({
      input: '/nonexistent/in',
      output: '/nonexistent/out',
      workingHours: { timeZone: 'Europe/Berlin' },
      allowedRegions: ['us-east-1'],
      windowMs: 600_000,
    });
    const proto = translatePipeline(pipeline, loadBeamProtos(), {
      runId: 'coders',
      environment: { kind: 'external', endpoint: '127.0.0.1:1' },
    });
    const { transforms, pcollections } = (proto as { components: Components }).components;
    const flattens = Object.entries(transforms).filter(([, transform]) => transform.spec?.urn === 'beam:transform:flatten:v1');
    expect(flattens.map(([id]) => id)).toContain('SecurityFeatures/PerPrincipalHour/CoGroupByKey/Flatten');
    for (const [id, flatten] of flattens) {
      const output = pcollections[Object.values(flatten.outputs)[0]!]!.coder_id;
      const inputs = Object.values(flatten.inputs).map((collection) => pcollections[collection]!.coder_id);
      expect({ id, inputs }).toEqual({ id, inputs: inputs.map(() => output) });
      if (id.endsWith('CoGroupByKey/Flatten')) expect(output).toBe('kv');
    }
  });
});
