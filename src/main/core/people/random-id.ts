// Random ids for people's work: item keys (what an evaluator or annotator answers by), session
// uids and signing keys. Never derived from a record, a run, a person or a position, so a key
// gives nothing away and cannot be guessed from another.
import { randomBytes } from 'node:crypto';

export function randomId(bytes = 16): string {
  return randomBytes(bytes).toString('base64url');
}
