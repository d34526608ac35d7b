// A job's live log (e.g. pip's output during worker setup): monospace, follows the newest line
// unless the reader scrolled up, focusable so the keyboard can scroll it, with "Copy log".
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { formatLogLine } from '../lib/jobLog';
import { useJobLogsStore } from '../stores/jobLogs';

/** Within this many pixels of the bottom counts as "at the bottom" (keeps following). */
const STICK_PX = 16;

async function copyText(text: string): Promise<void> {
  if (navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text);
      return;
    } catch {
      // Permission denied (e.g. a browser without focus): fall back to a selection copy.
    }
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('the browser refused to copy');
}

export function JobLog({ jobId, label, testId }: { jobId: number; label: string; testId?: string }) {
  const log = useJobLogsStore((s) => s.byJob[jobId]);
  const boxRef = useRef<HTMLPreElement>(null);
  const stick = useRef(true);
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');

  useEffect(() => {
    stick.current = true;
    void useJobLogsStore.getState().load(jobId);
  }, [jobId]);

  const lines = log?.lines ?? [];
  useLayoutEffect(() => {
    const box = boxRef.current;
    if (box && stick.current) box.scrollTop = box.scrollHeight;
  }, [lines]);

  useEffect(() => {
    if (copied === 'idle') return;
    const t = setTimeout(() => setCopied('idle'), 2000);
    return () => clearTimeout(t);
  }, [copied]);

  const onScroll = () => {
    const box = boxRef.current;
    if (box) stick.current = box.scrollHeight - box.scrollTop - box.clientHeight <= STICK_PX;
  };
  const copy = () =>
    copyText(lines.map(formatLogLine).join('\n')).then(
      () => setCopied('copied'),
      () => setCopied('failed'),
    );

  return (
    <div className="job-log" data-testid={testId}>
      <div className="row gap">
        <span className="small muted" id={`job-log-${jobId}-label`}>
          {label}
          {lines.length > 0 ? ` (${lines.length} line${lines.length === 1 ? '' : 's'})` : ''}
        </span>
        <span className="spacer" />
        <span className="small muted" role="status" aria-live="polite">
          {copied === 'copied' ? 'Copied' : copied === 'failed' ? 'Copy failed' : ''}
        </span>
        <button type="button" className="btn small ghost" disabled={lines.length === 0} onClick={() => void copy()}>
          Copy log
        </button>
      </div>
      {log?.error && <p className="small bad-text">Cannot read the log: {log.error}</p>}
      <pre
        ref={boxRef}
        className="log-tail job-log-lines"
        role="log"
        aria-labelledby={`job-log-${jobId}-label`}
        // Focusable so the arrow keys and Page Up/Down scroll it.
        tabIndex={0}
        onScroll={onScroll}
      >
        {log?.truncatedBefore && (
          <span className="muted">
            … earlier lines dropped (the log keeps the last 500)
            {'\n'}
          </span>
        )}
        {lines.length === 0 && <span className="muted">{log?.loading ? 'Loading…' : 'No output yet.'}</span>}
        {lines.map((l) => (
          <span key={l.seq} className={`job-log-line level-${l.level}`}>
            {formatLogLine(l)}
            {'\n'}
          </span>
        ))}
      </pre>
    </div>
  );
}
