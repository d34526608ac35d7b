import { useEffect, useState } from 'react';
import type { Output } from '../../../../shared/api';
import { EXPORT_FORMATS, type ExportFormat } from '../../../../shared/contracts/datasets';
import { api, errorIssues, errorMessage } from '../../api';
import { Dialog } from '../../components/Dialog';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatCount } from '../../lib/format';
import { selectCloseDialog, useUiStore } from '../../stores/ui';

type ExportResult = Output<'datasets.export'>;
const EXPORT_SPLITS = ['train', 'dev', 'test', 'all'] as const;

const FORMAT_HINTS: Record<ExportFormat, string> = {
  'llama2-chat':
    'One training text per record: <s>[INST] <<SYS>> system <</SYS>> instruction [/INST] benign variation </s>',
  alpaca: 'JSON records with instruction, input and output (the benign variation).',
  jsonl: 'Every field of every record, one JSON object per line.',
  csv: 'Every field of every record, as CSV.',
};

const isInstructionFormat = (f: ExportFormat) => f === 'llama2-chat' || f === 'alpaca';

export function ExportDialog({ dataset }: { dataset: string }) {
  const close = useUiStore(selectCloseDialog);
  const [split, setSplit] = useState<(typeof EXPORT_SPLITS)[number]>('train');
  const [format, setFormat] = useState<ExportFormat>('llama2-chat');
  const [defaults, setDefaults] = useState<{ systemPrompt: string; instruction: string } | null>(null);
  const [systemPrompt, setSystemPrompt] = useState('');
  const [instruction, setInstruction] = useState('');
  const [requireBenign, setRequireBenign] = useState(true);
  const [rawCsv, setRawCsv] = useState(false);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<{ message: string; issues: { path: string; message: string }[] } | null>(null);
  const [result, setResult] = useState<ExportResult | null>(null);

  useEffect(() => {
    let live = true;
    api
      .call('datasets.exportDefaults', {})
      .then((d) => {
        if (!live) return;
        setDefaults(d);
        setSystemPrompt(d.systemPrompt);
        setInstruction(d.instruction);
      })
      .catch((err: unknown) => live && setError({ message: errorMessage(err), issues: [] }));
    return () => {
      live = false;
    };
  }, []);

  const run = async () => {
    setRunning(true);
    setError(null);
    setResult(null);
    try {
      const instructionFields = isInstructionFormat(format) ? { systemPrompt, instruction, requireBenign } : {};
      const csvFields = format === 'csv' ? { rawCsv } : {};
      setResult(await api.call('datasets.export', { dataset, split, format, ...instructionFields, ...csvFields }));
    } catch (err) {
      setError({ message: errorMessage(err), issues: errorIssues(err) });
    } finally {
      setRunning(false);
    }
  };

  return (
    <Dialog title={`Export “${dataset}”`} onClose={close} wide>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <div className="form-grid">
          <label className="field">
            <span>Split</span>
            <select className="input" value={split} onChange={(e) => setSplit(e.target.value as typeof split)}>
              {EXPORT_SPLITS.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Format</span>
            <select className="input" value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)}>
              {EXPORT_FORMATS.map((f) => (
                <option key={f} value={f}>
                  {f}
                </option>
              ))}
            </select>
            <small className="muted">{FORMAT_HINTS[format]}</small>
          </label>
        </div>
        {isInstructionFormat(format) && (
          <>
            {format === 'llama2-chat' && (
              <label className="field">
                <span>System prompt</span>
                <textarea
                  className="input"
                  rows={6}
                  value={systemPrompt}
                  onChange={(e) => setSystemPrompt(e.target.value)}
                />
              </label>
            )}
            <label className="field">
              <span>
                Instruction (<code>{'{text}'}</code> is replaced by the record’s text)
              </span>
              <textarea
                className="input"
                rows={3}
                value={instruction}
                onChange={(e) => setInstruction(e.target.value)}
              />
            </label>
            <div className="row gap">
              <label className="check">
                <input type="checkbox" checked={requireBenign} onChange={(e) => setRequireBenign(e.target.checked)} />
                Only records with a benign variation (the response to learn)
              </label>
              <span className="spacer" />
              {defaults && (
                <button
                  type="button"
                  className="btn small ghost"
                  onClick={() => {
                    setSystemPrompt(defaults.systemPrompt);
                    setInstruction(defaults.instruction);
                  }}
                >
                  Reset to the paper’s prompts
                </button>
              )}
            </div>
          </>
        )}
        {format === 'csv' && (
          <label className="check">
            <input type="checkbox" checked={rawCsv} onChange={(e) => setRawCsv(e.target.checked)} />
            Exact text: no leading ' on cells starting with = + - @ (spreadsheets may run them as formulas)
          </label>
        )}
        <ErrorBanner message={error?.message ?? null} issues={error?.issues} />
        {result && <ExportOutcome result={result} />}
        <div className="dialog-actions">
          <button type="button" className="btn ghost" onClick={close}>
            {result ? 'Close' : 'Cancel'}
          </button>
          <button type="submit" className="btn primary" disabled={running}>
            {running ? 'Exporting…' : 'Export'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function ExportOutcome({ result }: { result: ExportResult }) {
  const url = api.exportUrl(result.fileName);
  return (
    <div className="banner ok" role="status">
      <div className="banner-body">
        Wrote {formatCount(result.records)} records ({result.format})
        {result.skipped > 0 && `, skipped ${formatCount(result.skipped)} without a benign variation`} to{' '}
        <code className="path">{result.path}</code>
      </div>
      {url && (
        <a className="btn small" href={url} download={result.fileName}>
          Download
        </a>
      )}
    </div>
  );
}
