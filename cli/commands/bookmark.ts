/**
 * @module cli/commands/bookmark
 * `logbeam bookmark show|reset|rewind|unlock <path|s3://...>`: inspect or change which inputs a bookmark records
 * as processed (io/bookmarks). Changes take the bookmark's lock, so they cannot interleave with a run; `unlock`
 * removes the lock a crashed run left behind (at once when its process is gone from this host, otherwise only a
 * stale one unless `--force`).
 */
import * as t from 'io-ts';
import { breakBookmarkLock, resetBookmark, rewindBookmark, showBookmark } from '../../io/bookmarks/bookmark-admin.js';
import type { S3Settings } from '../../io/storage/s3-settings.js';
import { EXIT, UsageError } from '../errors.js';
import { decodeFlags, InstantFromString, parseFlags } from '../flags.js';
import { S3_FLAGS, S3_FLAG_CODECS, s3FlagValues, s3SettingsFromFlags } from '../s3-flags.js';

export const BOOKMARK_HELP = `Usage: logbeam bookmark <show|reset|rewind|unlock> <path|s3://...> [options]

  show     how many inputs the bookmark holds, when it was updated, whether a run holds its lock, and what
           a run that did not finish left pending (reset and rewind complete or discard that first)
  reset    forget everything: the next run reads all inputs (rerun with --write-mode overwrite-partitions;
           run refuses to append them again, as after a rewind)
  rewind   forget part of it (then rerun with --write-mode overwrite-partitions; run refuses to append
           inputs a rewind forgot, since their rows are still in the output):
             --to <instant>           restore the bookmark as it was at that time
             --days-from <date>       forget inputs whose key names that day or later (re-read those days)
  unlock   remove the lock left by a run that crashed; a lock whose process is gone from this host is
           removed at once, any other lock younger than 6 hours only with --force

Options:
  --json                 show: print the bookmark as JSON
  --force                unlock: remove the lock even if it is recent (make sure no run is active)
  --s3-endpoint <url>    S3-compatible endpoint
  --s3-region <region>
  --s3-path-style        path-style S3 addressing
  -h, --help             this help

Example: logbeam bookmark rewind s3://state/alb.json --days-from 2024-06-01`;

const Flags = t.partial({
  to: InstantFromString,
  daysFrom: InstantFromString,
  json: t.boolean,
  force: t.boolean,
  ...S3_FLAG_CODECS,
});

export async function bookmarkCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    'bookmark',
    args,
    {
      to: { type: 'string' },
      'days-from': { type: 'string' },
      json: { type: 'boolean' },
      force: { type: 'boolean' },
      ...S3_FLAGS,
    },
    2,
  );
  if (values['help'] === true) {
    process.stdout.write(`${BOOKMARK_HELP}\n`);
    return EXIT.ok;
  }
  const [action, uri] = positionals;
  if (action !== 'show' && action !== 'reset' && action !== 'rewind' && action !== 'unlock') {
    throw new UsageError(
      action === undefined
        ? 'missing the action: show, reset, rewind or unlock'
        : `unknown action "${action}"; use show, reset, rewind or unlock`,
      'bookmark',
    );
  }
  if (uri === undefined) throw new UsageError(`bookmark ${action} needs the bookmark's location (a path or s3:// URI)`, 'bookmark');
  const flags = decodeFlags('bookmark', Flags, {
    to: values['to'],
    daysFrom: values['days-from'],
    json: values['json'],
    force: values['force'],
    ...s3FlagValues(values),
  });
  const s3: S3Settings = s3SettingsFromFlags(flags);
  const options = Object.keys(s3).length > 0 ? { s3 } : {};
  switch (action) {
    case 'show': {
      const summary = await showBookmark(uri, options);
      if (flags.json === true) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      else if (!summary.exists) process.stdout.write(`${uri}: no bookmark yet (the next run reads every input)\n`);
      else {
        const lock =
          summary.lock === undefined
            ? 'not locked'
            : `locked by ${JSON.stringify(summary.lock.holder ?? 'unknown')} for ${Math.round(summary.lock.ageMs / 1000)} s`;
        process.stdout.write(`${uri}: ${summary.inputCount} input(s) processed, updated ${summary.updatedAt ?? 'never'}, ${lock}\n`);
      }
      if (flags.json !== true && summary.pending !== undefined) {
        const { pending } = summary;
        process.stdout.write(
          pending.decided
            ? `pending: run ${pending.runId} committed (its outputs are or will be published) but did not record its ${pending.inputCount} input(s) here; the next run, reset or rewind records them first (${pending.uri})\n`
            : `pending: run ${pending.runId} stopped before committing; the next run, reset or rewind discards its record of ${pending.inputCount} input(s), which are read again (${pending.uri})\n`,
        );
      }
      return EXIT.ok;
    }
    case 'reset': {
      const removed = await resetBookmark(uri, options);
      process.stdout.write(`${uri}: forgot ${removed} input(s); the next run reads every input\n`);
      // Their rows are still in the output; `run` refuses to append them a second time.
      if (removed > 0)
        process.stdout.write(
          'Rerun with --write-mode overwrite-partitions so the partitions it rewrites replace the old rows (an append would duplicate them).\n',
        );
      return EXIT.ok;
    }
    case 'rewind': {
      if ((flags.to === undefined) === (flags.daysFrom === undefined))
        throw new UsageError('bookmark rewind needs exactly one of --to <instant> or --days-from <date>', 'bookmark');
      const { removed, sharingPartitions, unknownPartitions } = await rewindBookmark(
        uri,
        flags.to !== undefined ? { to: flags.to } : { removeInputsAfter: flags.daysFrom! },
        options,
      );
      process.stdout.write(
        `${uri}: forgot ${removed.length} input(s); the next run reads them again\n${removed.map((input) => `  ${input}\n`).join('')}`,
      );
      if (sharingPartitions.length > 0) {
        process.stdout.write(
          `${sharingPartitions.length} of them were forgotten because their run wrote to a partition the others wrote to, which the rerun replaces: ${sharingPartitions.join(', ')}\n`,
        );
      }
      if (unknownPartitions.length > 0) {
        process.stderr.write(
          `warning: ${unknownPartitions.length} input(s) the bookmark keeps were recorded by an older logbeam without their partitions; if their rows share a partition with the rerun's, the rerun cannot protect them (rewind further, or reset and rerun everything): ${unknownPartitions.slice(0, 10).join(', ')}${unknownPartitions.length > 10 ? ' ...' : ''}\n`,
        );
      }
      // Their rows are still in the output; `run` refuses to append them a second time.
      if (removed.length > 0)
        process.stdout.write(
          'Rerun with --write-mode overwrite-partitions so the partitions it rewrites replace the old rows (an append would duplicate them).\n',
        );
      return EXIT.ok;
    }
    case 'unlock': {
      const holder = await breakBookmarkLock(uri, { ...options, ...(flags.force === true ? { force: true } : {}) });
      process.stdout.write(holder === undefined ? `${uri}: not locked\n` : `${uri}: removed the lock held by ${JSON.stringify(holder)}\n`);
      return EXIT.ok;
    }
  }
}
