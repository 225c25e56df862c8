/**
 * @module declarative/build
 * Turns a checked DeclarativeSpec into pipeline steps, in file order (every input is an earlier step). The
 * schema check runs first (nothing is built when a field or type is wrong) and gives each step its output
 * schema. All dead-letter outputs (reads and parses) are flattened into one dead-letter sink.
 */
import type { DeadLetter } from '../../core/dead-letter.js';
import type { PCollection } from '../../core/pcollection.js';
import type { Pipeline } from '../../core/pipeline.js';
import { writeDeadLetters } from '../../io/sinks/dead-letters.js';
import { flatten } from '../../transforms/flatten.js';
import { defaultDeadLetterLocation, type CommonPipelineOptions } from '../options.js';
import { checkedShapes } from './schema-check.js';
import type { Built, Shape } from './shape.js';
import type { DeclarativeSpec, StepSpec } from './spec.js';
import { buildCombine } from './steps/combine.js';
import { buildJoin } from './steps/join.js';
import { buildParse, buildRead } from './steps/read.js';
import { buildFilter, buildMapToFields, buildWindow } from './steps/row-steps.js';
import { buildWrite } from './steps/write.js';

function single(step: StepSpec, built: ReadonlyMap<string, Built>): Built {
  const input = step.input;
  if (typeof input !== 'string') throw new Error(`step "${step.name}": takes exactly one input step`);
  return built.get(input)!;
}

/** Adds the spec's steps to `p`; `options` supply defaults (input, output, dead letter, time range, S3). */
export function buildDeclarative(p: Pipeline, spec: DeclarativeSpec, options: Partial<CommonPipelineOptions>): void {
  const shapes = checkedShapes(spec);
  const shapeOf = (step: StepSpec): Shape => shapes.get(step.name)!;
  const built = new Map<string, Built>();
  const deadLetters: PCollection<DeadLetter>[] = [];
  const reads = spec.steps.filter((step) => step.type === 'read' && step.config.format !== 'text').length;
  if (options.bookmark !== undefined && reads > 1) throw new Error('a bookmark can follow only one read step; this pipeline has several');
  for (const step of spec.steps) {
    switch (step.type) {
      case 'read':
        built.set(step.name, buildRead(p, step, shapeOf(step), options, options.bookmark, deadLetters));
        break;
      case 'parse':
        built.set(step.name, buildParse(single(step, built), step, shapeOf(step), deadLetters));
        break;
      case 'filter':
        built.set(step.name, buildFilter(single(step, built), step));
        break;
      case 'map_to_fields':
        built.set(step.name, buildMapToFields(single(step, built), step, shapeOf(step)));
        break;
      case 'window':
        built.set(step.name, buildWindow(single(step, built), step, shapeOf(step)));
        break;
      case 'combine':
        built.set(step.name, buildCombine(single(step, built), step, shapeOf(step)));
        break;
      case 'join': {
        const inputs = step.input as Readonly<Record<string, string>>;
        built.set(
          step.name,
          buildJoin(Object.fromEntries(Object.entries(inputs).map(([branch, name]) => [branch, built.get(name)!])), step, shapeOf(step)),
        );
        break;
      }
      case 'write':
        buildWrite(single(step, built), step, options);
        break;
    }
  }
  if (deadLetters.length === 0) return;
  const location =
    spec.dead_letter ?? options.deadLetter ?? (options.output === undefined ? undefined : defaultDeadLetterLocation(options.output));
  if (location === undefined)
    throw new Error('rejected records need a place: set dead_letter in the pipeline file, or pass --dead-letter or --output');
  const all = deadLetters.length === 1 ? deadLetters[0]! : p.applyTransform(deadLetters, flatten<DeadLetter>({ label: 'AllDeadLetters' }));
  all.apply(writeDeadLetters(location, options.s3 === undefined ? {} : { s3: options.s3 }));
}
