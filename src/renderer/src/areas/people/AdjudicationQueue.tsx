// The expert's queue: records whose vote tied in some category, or that an annotator flagged.
// For each: the text (plain text, behind the content warning), the votes per category, the
// annotators' notes, biased words with counts and benign variations; the expert picks the labels
// (a tied category must be picked; elsewhere the majority stands unless changed), edits the
// benign variation and signs with their name.
import { useState } from 'react';
import { errorIssues, errorMessage } from '../../api';
import { LABEL_VALUES } from '../../../../shared/domain';
import {
  ROUND_LABELS,
  rounds,
  type QueueItem,
  type RoundInfo,
  type RoundLabel,
} from '../../../../shared/contracts/rounds';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatDateTime } from '../../lib/format';
import { selectAcknowledged, selectHideAgain, useContentWarningStore } from '../../stores/contentWarning';
import { ContentWarningBanner, HiddenText } from '../datasets/ContentWarning';
import { rememberExpertName } from './expert';
import { callContract } from './lab';
import { usePeopleStore } from './people';
import { FormField, InputField } from './ui';
import { useRemote } from './useRemote';

const CATEGORY_NAMES: Record<RoundLabel, string> = {
  bias: 'Bias',
  toxicity: 'Toxicity',
  sentiment: 'Sentiment',
  harm: 'Harm',
};

type Picks = Record<RoundLabel, string | null>;

/** The labels to send, or what is missing: a tied category needs the expert's pick. Pure. */
export function adjudicationLabels(
  item: Pick<QueueItem, 'tied'>,
  picks: Picks,
): { labels: Picks | null; missing: string[] } {
  const missing = item.tied.filter((c) => !picks[c]).map((c) => CATEGORY_NAMES[c]);
  return { labels: missing.length > 0 ? null : picks, missing };
}

/** Votes as "No 2 · Yes 1", most votes first. */
export function votesText(votes: Record<string, number>): string {
  const entries = Object.entries(votes).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return entries.length === 0 ? 'no votes' : entries.map(([v, n]) => `${v} ${n}`).join(' · ');
}

export function AdjudicationQueue({
  round,
  version,
  expert,
  setExpert,
}: {
  round: RoundInfo;
  version: number;
  expert: string;
  setExpert: (name: string) => void;
}) {
  const [includeResolved, setIncludeResolved] = useState(false);
  const queue = useRemote(`queue:${round.id}:${includeResolved}`, version, () =>
    callContract(rounds.queue, { id: round.id, includeResolved }),
  );
  const shown = useContentWarningStore(selectAcknowledged);
  const hideAgain = useContentWarningStore(selectHideAgain);
  return (
    <section aria-label="Adjudication queue" className="stack" data-testid="adjudication-queue">
      <div className="row gap wrap">
        <InputField
          label="Your name (the expert)"
          hint="Remembered on this machine; kept with each decision."
          name="expert"
          value={expert}
          onChange={setExpert}
          onBlur={() => rememberExpertName(expert)}
        />
        <label className="check">
          <input type="checkbox" checked={includeResolved} onChange={(e) => setIncludeResolved(e.target.checked)} />
          Show resolved records too
        </label>
        <span className="spacer" />
        {shown && (
          <button type="button" className="btn small ghost" onClick={hideAgain}>
            Hide texts
          </button>
        )}
      </div>
      <ContentWarningBanner />
      <ErrorBanner message={queue.error} onRetry={queue.reload} />
      {!queue.data && queue.loading && <p className="muted">Loading the queue…</p>}
      {queue.data && queue.data.items.length === 0 && (
        <div className="empty-state">
          <h2>Nothing to adjudicate</h2>
          <p>
            Records land here when the annotators’ vote ties in a category or an annotator flags one for an expert.
            Records not yet labelled by all their annotators appear once they are.
          </p>
        </div>
      )}
      {queue.data?.items.map((item) => (
        <AdjudicationCard key={item.record} round={round} item={item} expert={expert} textShown={shown} />
      ))}
    </section>
  );
}

function AdjudicationCard({
  round,
  item,
  expert,
  textShown,
}: {
  round: RoundInfo;
  item: QueueItem;
  expert: string;
  textShown: boolean;
}) {
  const initial = (c: RoundLabel) => item.adjudication?.labels[c] ?? null;
  const [picks, setPicks] = useState<Picks>(() => ({
    bias: initial('bias'),
    toxicity: initial('toxicity'),
    sentiment: initial('sentiment'),
    harm: initial('harm'),
  }));
  const [benign, setBenign] = useState(item.adjudication?.benign ?? item.benign[0]?.text ?? '');
  const [note, setNote] = useState(item.adjudication?.note ?? '');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<{ message: string; issues: { path: string; message: string }[] } | null>(null);
  const [saved, setSaved] = useState(item.adjudication);
  const headingId = `adjudicate-${item.record}`;

  const save = async () => {
    setProblem(null);
    setError(null);
    const { labels, missing } = adjudicationLabels(item, picks);
    if (!labels) return setProblem(`Pick a label for ${missing.join(', ')}: the annotators’ vote tied there.`);
    if (!expert.trim()) return setProblem('Give your name (the expert) above: it is kept with the decision.');
    rememberExpertName(expert);
    setBusy(true);
    try {
      const out = await callContract(rounds.adjudicate, {
        id: round.id,
        record: item.record,
        labels: labels as never,
        benign: benign.trim() ? benign : null,
        by: expert.trim(),
        note,
      });
      setSaved(out.item.adjudication);
      usePeopleStore.getState().changed('rounds');
    } catch (err) {
      setError({ message: errorMessage(err), issues: errorIssues(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <article className="card adjudication" aria-labelledby={headingId} data-testid="adjudication-item">
      <div className="row gap wrap">
        <h3 id={headingId}>Record #{item.record}</h3>
        {item.reasons.includes('tie') && (
          <span className="pill mild">tie in {item.tied.map((c) => CATEGORY_NAMES[c]).join(', ')}</span>
        )}
        {item.reasons.includes('flagged') && <span className="pill strong">flagged for an expert</span>}
        {saved && (
          <span className="pill good" role="status">
            adjudicated by {saved.by}, {formatDateTime(saved.at)}
          </span>
        )}
      </div>
      <div className="people-record-text" data-testid="queue-text">
        {textShown ? item.text : <HiddenText long />}
      </div>

      <form
        className="stack"
        aria-label={`Adjudicate record ${item.record}`}
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <div className="adjudication-grid">
          {ROUND_LABELS.map((c) => {
            const tied = item.tied.includes(c);
            const majority = item.majority[c];
            return (
              <fieldset key={c} className={tied ? 'mapping tied' : 'mapping'}>
                <legend>
                  {CATEGORY_NAMES[c]}
                  {tied ? ' (tied — pick one)' : ''}
                </legend>
                <p className="small muted">Votes: {votesText(item.votes[c])}</p>
                {!tied && (
                  <label className="check">
                    <input
                      type="radio"
                      name={`r${item.record}-${c}`}
                      checked={picks[c] === null}
                      onChange={() => setPicks((p) => ({ ...p, [c]: null }))}
                    />
                    Keep the majority ({majority ?? '–'})
                  </label>
                )}
                {LABEL_VALUES[c].map((v) => (
                  <label className="check" key={v}>
                    <input
                      type="radio"
                      name={`r${item.record}-${c}`}
                      value={v}
                      required={tied}
                      checked={picks[c] === v}
                      onChange={() => setPicks((p) => ({ ...p, [c]: v }))}
                    />
                    {v}
                  </label>
                ))}
              </fieldset>
            );
          })}
        </div>

        <div className="adjudication-grid two">
          <div>
            <h4>Biased words marked</h4>
            {item.biasedWords.length === 0 ? (
              <p className="small muted">None marked.</p>
            ) : (
              <ul className="people-chips">
                {item.biasedWords.map((w) => (
                  <li key={w.word} className="chip">
                    {textShown ? w.word : '•••'} <span className="muted">×{w.count}</span>
                  </li>
                ))}
              </ul>
            )}
            <h4>Annotators’ notes</h4>
            {item.notes.filter((n) => n.note || n.flagged).length === 0 ? (
              <p className="small muted">No notes.</p>
            ) : (
              <ul className="people-notes">
                {item.notes
                  .filter((n) => n.note || n.flagged)
                  .map((n) => (
                    <li key={n.annotator}>
                      <strong>{n.annotator}</strong>
                      {n.flagged ? ' (flagged)' : ''}: {n.note || '—'}
                    </li>
                  ))}
              </ul>
            )}
          </div>
          <div>
            <h4>Benign variations written</h4>
            {item.benign.length === 0 ? (
              <p className="small muted">None written.</p>
            ) : (
              <ul className="people-notes">
                {item.benign.map((b) => (
                  <li key={b.annotator}>
                    <strong>{b.annotator}</strong>:{' '}
                    {textShown ? <span className="people-inline-text">{b.text}</span> : <HiddenText />}{' '}
                    <button
                      type="button"
                      className="btn small ghost"
                      aria-label={`Use ${b.annotator}’s benign variation`}
                      onClick={() => setBenign(b.text)}
                    >
                      Use this
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>

        <FormField label="Benign variation (gold)" hint="Leave empty for none.">
          {(a) =>
            textShown ? (
              <textarea className="input" rows={3} value={benign} onChange={(e) => setBenign(e.target.value)} {...a} />
            ) : (
              <p className="small muted" id={a.id}>
                Show the texts (content warning above) to read and edit it.
              </p>
            )
          }
        </FormField>
        <InputField label="Expert’s note (optional)" value={note} onChange={setNote} />
        {problem && (
          <p className="field-error" role="alert">
            {problem}
          </p>
        )}
        <ErrorBanner message={error?.message ?? null} issues={error?.issues} />
        <div className="row gap">
          <button type="submit" className="btn primary" disabled={busy}>
            {busy ? 'Saving…' : saved ? 'Save changes' : 'Save adjudication'}
          </button>
        </div>
      </form>
    </article>
  );
}
