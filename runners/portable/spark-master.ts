/**
 * @module portable/spark-master
 * What a Spark master URL may be. Dependency-free, so the CLI checks `--spark-master` without loading gRPC.
 */

/** `local`, `local[4]`, `local[*]` or `spark://host:port`. */
export function isSparkMaster(text: string): boolean {
  return /^local(\[(\d+|\*)\])?$/.test(text) || /^spark:\/\/[^\s/:]+:\d+$/.test(text);
}
