/**
 * @module sinks/parquet/row-appender
 * Appends a record's fields to a file's column builders. The plain loop `builders[i].append(row[names[i]])` reads
 * each field with a key that changes from one iteration to the next (a megamorphic keyed load, a stub-cache probe
 * per value) and calls every builder class from one call site. For each list of field names, this generates once
 * the unrolled function `b0.append(row["flow_date"]); b1.append(row["flow_hour"]); ...`: one named load and one
 * builder class per call site, so V8 compiles each to a direct load and an inlined call. Closures made by the same
 * generated factory share its type feedback and optimised code, so each file's appender starts warm.
 *
 * Field names go into the source only through `JSON.stringify` (a string literal, whatever they hold). Where code
 * generation from strings is disallowed (`node --disallow-code-generation-from-strings`), the loop is used.
 */
import type { ColumnBuilder } from './column-builders.js';

/** Appends one record's fields and returns the bytes they add (as `ColumnBuilder.append` counts them). */
export type RowAppender = (row: Record<string, unknown>) => number;
type AppenderFactory = (builders: readonly ColumnBuilder[]) => RowAppender;

/** Generated factories by field list (JSON of the names). */
const factories = new Map<string, AppenderFactory>();
/** `false` once `new Function` threw an EvalError (code generation from strings disallowed). */
let generationAllowed = true;

function generatedFactory(names: readonly string[]): AppenderFactory | undefined {
  const key = JSON.stringify(names);
  const known = factories.get(key);
  if (known !== undefined || !generationAllowed) return known;
  const locals = names.map((_name, i) => `const b${i} = builders[${i}];`).join('\n');
  const appends = names.map((name, i) => `bytes += b${i}.append(row[${JSON.stringify(name)}]);`).join('\n');
  try {
    const factory = new Function(
      'builders',
      `${locals}\nreturn (row) => {\nlet bytes = 0;\n${appends}\nreturn bytes;\n};`,
    ) as AppenderFactory;
    factories.set(key, factory);
    return factory;
  } catch (error) {
    if (!(error instanceof EvalError)) throw error;
    generationAllowed = false;
    return undefined;
  }
}

function loopAppender(names: readonly string[], builders: readonly ColumnBuilder[]): RowAppender {
  return (row) => {
    let bytes = 0;
    for (let i = 0; i < builders.length; i++) bytes += builders[i]!.append(row[names[i]!]);
    return bytes;
  };
}

/**
 * The appender of `names[i]` into `builders[i]` for every i.
 * @example rowAppender(['a', 'b'], [aBuilder, bBuilder])({ a: 1, b: 'x' }) // bytes added
 */
export function rowAppender(names: readonly string[], builders: readonly ColumnBuilder[]): RowAppender {
  if (names.length !== builders.length) throw new Error(`rowAppender: ${names.length} names for ${builders.length} builders`);
  return generatedFactory(names)?.(builders) ?? loopAppender(names, builders);
}
