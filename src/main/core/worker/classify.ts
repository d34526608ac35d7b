// Scoring texts with a Hugging Face sequence classifier (e.g. a toxicity or bias classifier) in
// the worker's `classify` job: per text, the softmax probability of each of the model's labels.
// Evaluation (issue 11) builds its classifier scores on this.
import { callWorker, type WorkerJobEvent, type WorkerParams, type WorkerResult } from './methods';
import type { WorkerService } from './index';

export type ClassifyInput = WorkerParams<'classify'>;
export type ClassifyResult = WorkerResult<'classify'>;

export async function classifyTexts(
  worker: Pick<WorkerService, 'spawn'>,
  input: ClassifyInput,
  opts: { signal?: AbortSignal; onProgress?: (done: number, total: number | null) => void } = {},
): Promise<ClassifyResult> {
  const w = await worker.spawn();
  try {
    const onEvent = (e: WorkerJobEvent) => {
      if (e.event === 'progress') opts.onProgress?.(e.done, e.total);
    };
    const result = await callWorker(w, 'classify', input, { onEvent, ...(opts.signal ? { signal: opts.signal } : {}) });
    // One row per text, each over the model's labels: a short answer would misalign scores and texts.
    if (result.results.length !== input.texts.length)
      throw new Error(`the classifier scored ${result.results.length} of ${input.texts.length} texts`);
    return result;
  } finally {
    await w.close();
  }
}
