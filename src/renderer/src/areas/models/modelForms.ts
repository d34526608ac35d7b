// The Models area's forms → contract inputs: a Hugging Face file to pull, an endpoint to save.
// Pure.
import type { Input } from '../../../../shared/api';
import { HF_URI } from '../../../../shared/contracts/llm';
import { parseIntField } from '../../lib/llmForms';

export function hfUriProblem(uri: string): string | null {
  const s = uri.trim();
  if (!s) return 'Give a Hugging Face file as hf:OWNER/REPO/FILE.gguf.';
  if (!HF_URI.test(s))
    return 'That is not hf:OWNER/REPO/FILE.gguf (the file must end in .gguf; @REVISION is optional).';
  return null;
}

/** https://huggingface.co/OWNER/REPO/blob/main/FILE.gguf (or /resolve/) → hf:OWNER/REPO/FILE.gguf; other text unchanged. */
export function hfUriFromUrl(text: string): string {
  const m =
    /^https?:\/\/huggingface\.co\/([\w.-]+)\/([\w.-]+)\/(?:blob|resolve)\/([\w./-]+?)\/((?:[\w.+-]+\/)*[\w.+-]+\.gguf)(?:\?.*)?$/.exec(
      text.trim(),
    );
  if (!m) return text.trim();
  const [, owner, repo, rev, file] = m;
  return `hf:${owner}/${repo}/${file}${rev === 'main' ? '' : `@${rev}`}`;
}

export interface EndpointForm {
  name: string;
  baseUrl: string;
  model: string;
  concurrency: string;
  requestsPerMinute: string;
  timeoutMs: string;
  maxRetries: string;
  /** Write-only: empty keeps the stored key. */
  apiKey: string;
  removeKey: boolean;
}

export const EMPTY_ENDPOINT_FORM: EndpointForm = {
  name: '',
  baseUrl: '',
  model: '',
  concurrency: '4',
  requestsPerMinute: '60',
  timeoutMs: '60000',
  maxRetries: '4',
  apiKey: '',
  removeKey: false,
};

export function endpointRequest(form: EndpointForm): { request: Input<'endpoints.save'> | null; problems: string[] } {
  const problems: string[] = [];
  if (!form.name.trim()) problems.push('Name the endpoint.');
  let url: URL | null = null;
  try {
    url = new URL(form.baseUrl.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
  } catch {
    problems.push('The base URL must be an http(s) URL, e.g. http://127.0.0.1:8000/v1.');
  }
  if (!form.model.trim()) problems.push('Name the model the endpoint serves.');
  const concurrency = parseIntField(form.concurrency, 'Concurrency', 1, 256, problems);
  const requestsPerMinute = parseIntField(form.requestsPerMinute, 'Requests per minute', 0, 100_000, problems);
  const timeoutMs = parseIntField(form.timeoutMs, 'Timeout', 100, 600_000, problems);
  const maxRetries = parseIntField(form.maxRetries, 'Retries', 0, 20, problems);
  if (problems.length || !url) return { request: null, problems };
  const apiKey = form.removeKey ? null : form.apiKey.trim() ? form.apiKey.trim() : undefined;
  return {
    request: {
      name: form.name.trim(),
      baseUrl: form.baseUrl.trim(),
      model: form.model.trim(),
      ...(concurrency !== undefined ? { concurrency } : {}),
      ...(requestsPerMinute !== undefined ? { requestsPerMinute } : {}),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(maxRetries !== undefined ? { maxRetries } : {}),
      ...(apiKey !== undefined ? { apiKey } : {}),
    },
    problems,
  };
}
