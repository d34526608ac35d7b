// Pure helpers for job logs: merging lines by sequence number and formatting one for display.
import { JOB_LOG_LIMIT, type JobLogLine } from '../../../shared/contracts/jobs';

/** Both lists sorted by seq → one sorted list without duplicates, the newest `JOB_LOG_LIMIT` kept. */
export function mergeLines(
  a: readonly JobLogLine[],
  b: readonly JobLogLine[],
): { lines: JobLogLine[]; dropped: boolean } {
  const last = a.at(-1)?.seq ?? 0;
  const merged =
    b.length > 0 && (b[0]?.seq ?? 0) > last
      ? [...a, ...b] // the usual case: new lines after the ones held
      : [...new Map([...a, ...b].map((l) => [l.seq, l])).values()].sort((x, y) => x.seq - y.seq);
  const dropped = merged.length > JOB_LOG_LIMIT;
  return { lines: dropped ? merged.slice(-JOB_LOG_LIMIT) : merged, dropped };
}

/** "hh:mm:ss [WARN|ERROR ]text"; no level tag when the text already starts with it (pip's "ERROR: …"). */
export function formatLogLine(l: JobLogLine): string {
  const tag = l.level.toUpperCase();
  const prefix = l.level === 'info' || l.text.trimStart().toUpperCase().startsWith(tag) ? '' : `${tag} `;
  return `${l.at.slice(11, 19)} ${prefix}${l.text}`;
}
