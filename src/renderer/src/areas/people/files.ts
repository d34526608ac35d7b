// Files in and out of a session: the offline session file (or an offline copy's answers) written
// by the server — downloaded through serve mode's exports route, or named by its path on the
// desktop — and a chosen file handed to humaneval.import (an upload in the browser, a path on
// the desktop), as the Datasets area does with imports.
import { api, type UploadProgress } from '../../api';
import { humaneval } from '../../../../shared/contracts/humaneval';
import { startDownload } from '../../lib/download';
import { callContract } from './lab';

export type ExportOutcome = Awaited<ReturnType<typeof exportEvaluatorFile>>;
export type ImportOutcome = Awaited<ReturnType<typeof importHumanEvalFile>>;

/** Writes one evaluator's file; in serve mode the browser downloads it straight away. */
export async function exportEvaluatorFile(id: number, evaluator: string) {
  const out = await callContract(humaneval.export, { id, evaluator });
  const url = api.exportUrl(out.fileName);
  if (url) startDownload(url, out.fileName);
  return { ...out, url };
}

export async function importHumanEvalFile(file: File, onProgress?: UploadProgress) {
  const source = await api.importSource(file, onProgress);
  return callContract(humaneval.import, { source });
}
