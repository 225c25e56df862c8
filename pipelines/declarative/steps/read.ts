/**
 * @module declarative/steps/read
 * `read` and `parse` steps: log files through `readLogs` (typed records + dead letters), or raw lines
 * (`format: text`, records `{ line }`) for a later `parse` step.
 */
import { DEAD_LETTER_TAG, type DeadLetter } from '../../../core/dead-letter.js';
import type { PCollection } from '../../../core/pcollection.js';
import type { Pipeline } from '../../../core/pipeline.js';
import { Rejection, SKIP, type RecordParser } from '../../../io/formats/types.js';
import { readLogs } from '../../../io/sources/read-logs.js';
import { readTextLines } from '../../../io/sources/read-text-lines.js';
import { map } from '../../../transforms/map.js';
import { parDo } from '../../../transforms/par-do.js';
import { logFormat } from '../../log-formats.js';
import type { CommonPipelineOptions } from '../../options.js';
import { formatOptionsOf } from '../format-options.js';
import type { Built, Shape } from '../shape.js';
import type { StepSpec } from '../spec.js';

type ReadStep = Extract<StepSpec, { type: 'read' }>;
type ParseStep = Extract<StepSpec, { type: 'parse' }>;

/** Adds a read step whose records have `shape`; dead letters (for log formats) are pushed onto `deadLetters`. */
export function buildRead(
  p: Pipeline,
  step: ReadStep,
  shape: Shape,
  options: Partial<CommonPipelineOptions>,
  bookmark: string | undefined,
  deadLetters: PCollection<DeadLetter>[],
): Built {
  const input = step.config.input ?? options.input;
  if (input === undefined) throw new Error(`step "${step.name}": nothing to read; set config.input in the pipeline file or pass --input`);
  const s3 = options.s3 === undefined ? {} : { s3: options.s3 };
  if (step.config.format === 'text') {
    const lines = p.apply(
      readTextLines(input, {
        ...s3,
        label: step.name,
        ...(options.allowEmpty === true ? { allowEmpty: true } : {}),
        ...(options.maxLineBytes === undefined ? {} : { maxLineBytes: options.maxLineBytes }),
      }),
    ) as PCollection<string>;
    return { collection: lines.apply(map((line: string) => ({ line }), { label: `${step.name}-lines` })), shape };
  }
  const format = logFormat(step.config.format);
  const { records, deadLetter } = p.apply(
    readLogs(format, {
      input,
      ...s3,
      label: step.name,
      ...(options.since === undefined ? {} : { since: options.since }),
      ...(options.until === undefined ? {} : { until: options.until }),
      ...(bookmark === undefined ? {} : { bookmark }),
      ...(options.allowEmpty === true ? { allowEmpty: true } : {}),
      formatOptions: formatOptionsOf(step.config),
      ...(options.maxLineBytes === undefined ? {} : { maxLineBytes: options.maxLineBytes }),
    }),
  );
  deadLetters.push(deadLetter);
  return { collection: records as PCollection<Record<string, unknown>>, shape };
}

/** Adds a parse step over the text in `config.field` (default `line`) of its input's records. */
export function buildParse(input: Built, step: ParseStep, shape: Shape, deadLetters: PCollection<DeadLetter>[]): Built {
  const format = logFormat(step.config.format);
  const formatOptions = formatOptionsOf(step.config);
  const fieldName = step.config.field ?? 'line';
  const label = step.name;
  const outputs = input.collection.apply(
    parDo<Record<string, unknown>, Record<string, unknown>>(label, () => {
      let parser: RecordParser<object> | undefined;
      let recordNumber = 0;
      return {
        startBundle() {
          // A bundle is one input file or shuffle group: headers (#Fields, CSV) are learnt per bundle.
          parser = format.createParser(formatOptions);
          recordNumber = 0;
        },
        process(record, ctx) {
          recordNumber++;
          const text = record[fieldName];
          if (typeof text !== 'string') {
            ctx.outputTo(DEAD_LETTER_TAG, {
              step: label,
              source: null,
              line: null,
              reason: `field "${fieldName}" is not text`,
              raw: JSON.stringify(record),
            } satisfies DeadLetter);
            return;
          }
          const result = parser!.parse(text, recordNumber);
          if (result === SKIP) return;
          if (result instanceof Rejection) {
            ctx.outputTo(DEAD_LETTER_TAG, { step: label, source: null, line: null, reason: result.reason, raw: text } satisfies DeadLetter);
            return;
          }
          const micros = format.eventTimeMicros(result);
          if (micros === undefined) ctx.output(result as Record<string, unknown>);
          else ctx.outputWithTimestamp(result as Record<string, unknown>, micros);
        },
      };
    }).withOutputs(DEAD_LETTER_TAG),
  );
  deadLetters.push(outputs[DEAD_LETTER_TAG] as PCollection<DeadLetter>);
  return { collection: outputs.main, shape };
}
