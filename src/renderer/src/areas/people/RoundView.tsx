// One annotation round: progress per annotator and their links, Fleiss' kappa per category and
// overall (as the paper reports them for the CMD) with Landis–Koch bands, the gold-label summary, the expert's
// adjudication queue, and writing the gold labels back to the dataset.
import { useState } from 'react';
import { ROUND_LABELS, rounds, type RoundInfo } from '../../../../shared/contracts/rounds';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Tabs } from '../../components/Tabs';
import { OkBanner } from '../../components/OkBanner';
import { PageHeader } from '../../components/PageHeader';
import { ProgressBar } from '../../components/ProgressBar';
import { plural } from '../../lib/preflight';
import { formatCount, formatDateTime, formatNumber } from '../../lib/format';
import { AdjudicationQueue } from './AdjudicationQueue';
import { readExpertName, rememberExpertName } from './expert';
import { callContract } from './lab';
import { linksSummary } from './links';
import { EvaluatorModeDialog, LinkButtons, ProgressCell, RevokeLinksDialog, WorkHereButton } from './PersonRow';
import { selectRoundsVersion, usePeopleStore } from './people';
import { BandPill, InputField, LinkStatePill } from './ui';
import { RemoveSelectedDialog } from './RemoveDialog';
import { useAction } from './useAction';
import { useRemote } from './useRemote';

type RoundTab = 'progress' | 'adjudication';

const CATEGORY_NAMES: Record<(typeof ROUND_LABELS)[number], string> = {
  bias: 'Bias',
  toxicity: 'Toxicity',
  sentiment: 'Sentiment',
  harm: 'Harm',
};

/** Why a kappa is missing: too few complete records, or every annotator chose one value (no variation). */
const KAPPA_NONE = 'not computable';

type Pending =
  | { kind: 'revoke'; annotator: string }
  | { kind: 'annotate'; annotator: string }
  | { kind: 'apply' }
  | { kind: 'remove' }
  | null;

export function RoundView({ round }: { round: RoundInfo }) {
  const version = usePeopleStore(selectRoundsVersion);
  const [tab, setTab] = useState<RoundTab>('progress');
  const [pending, setPending] = useState<Pending>(null);
  const { busy, error, clearError, act } = useAction();
  const [notice, setNotice] = useState<string | null>(null);
  const [expert, setExpert] = useState(readExpertName);
  const status = useRemote(`round:${round.id}`, version, () => callContract(rounds.status, { id: round.id }));
  const s = status.data;

  const newLink = (annotator: string) =>
    act(`link:${annotator}`, async () => {
      const { invite } = await callContract(rounds.invite, { id: round.id, annotator });
      if (invite)
        usePeopleStore
          .getState()
          .showInvites({ section: 'rounds', id: round.id, title: round.title, invites: [invite] });
      status.reload();
    });

  return (
    <div className="model-details" data-testid="round-view">
      <PageHeader
        title={round.title}
        summary={
          <p className="muted">
            Round #{round.id} · {round.dataset} ({round.split === 'all' ? 'all records' : `${round.split} split`}) ·{' '}
            {formatCount(round.records)} records · {round.perRecord} annotator{round.perRecord === 1 ? '' : 's'} per
            record · seed {round.seed} · created {formatDateTime(round.createdAt)}
            {round.appliedAt ? ` · gold labels written ${formatDateTime(round.appliedAt)}` : ''}
          </p>
        }
        actions={
          <>
            <button type="button" className="btn primary" onClick={() => setPending({ kind: 'apply' })}>
              Write gold labels to the dataset
            </button>
            <button type="button" className="btn danger" onClick={() => setPending({ kind: 'remove' })}>
              Remove round
            </button>
          </>
        }
      >
        <Tabs
          label="Round views"
          tabs={[
            { id: 'progress', label: 'Progress' },
            { id: 'adjudication', label: s ? `Adjudication (${s.gold.queued})` : 'Adjudication' },
          ]}
          value={tab}
          onChange={setTab}
        />
      </PageHeader>
      <div className="lab-scroll">
        <ErrorBanner message={error} onDismiss={clearError} />
        {notice && <OkBanner onDismiss={() => setNotice(null)}>{notice}</OkBanner>}
        <ErrorBanner message={status.error} onRetry={status.reload} />
        {!s && status.loading && <p className="muted">Loading the round…</p>}
        {tab === 'adjudication' ? (
          <AdjudicationQueue round={round} version={version} expert={expert} setExpert={setExpert} />
        ) : (
          s && (
            <>
              <section className="card" aria-labelledby="round-progress">
                <h3 id="round-progress">Progress</h3>
                <ProgressBar done={s.progress.done} total={s.progress.total} label="Round progress" />
                <p className="small">
                  {formatCount(s.progress.done)} of {formatCount(s.progress.total)} annotations done
                </p>
                <table className="data-table people-table" data-testid="annotator-progress">
                  <thead>
                    <tr>
                      <th scope="col">Annotator</th>
                      <th scope="col">Done</th>
                      <th scope="col" className="num">
                        Flagged
                      </th>
                      <th scope="col">Last activity</th>
                      <th scope="col">Submitted</th>
                      <th scope="col">Link</th>
                      <th scope="col">Actions</th>
                    </tr>
                  </thead>
                  <tbody>
                    {s.annotators.map((a) => (
                      <tr key={a.annotator} data-testid="annotator-row">
                        <th scope="row">{a.annotator}</th>
                        <ProgressCell person={a.annotator} done={a.done} assigned={a.assigned} />
                        <td className="num">{formatCount(a.flagged)}</td>
                        <td>{a.lastActivityAt ? formatDateTime(a.lastActivityAt) : '–'}</td>
                        <td>{a.submittedAt ? formatDateTime(a.submittedAt) : 'not yet'}</td>
                        <td>
                          <LinkStatePill summary={linksSummary(a.invites)} />
                        </td>
                        <td>
                          <div className="row gap wrap">
                            <LinkButtons
                              person={a.annotator}
                              making={busy === `link:${a.annotator}`}
                              activeLinks={linksSummary(a.invites).active}
                              onNewLink={() => void newLink(a.annotator)}
                              onRevoke={() => setPending({ kind: 'revoke', annotator: a.annotator })}
                            />
                            <WorkHereButton
                              person={a.annotator}
                              verb="Annotate"
                              onClick={() => setPending({ kind: 'annotate', annotator: a.annotator })}
                            />
                          </div>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>

              <section className="card" aria-labelledby="round-kappa">
                <h3 id="round-kappa">Agreement (Fleiss’ κ)</h3>
                <table className="data-table people-table" data-testid="round-kappa">
                  <thead>
                    <tr>
                      <th scope="col">Category</th>
                      <th scope="col" className="num">
                        κ
                      </th>
                      <th scope="col">Landis–Koch band</th>
                      <th scope="col" className="num">
                        Records used
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {ROUND_LABELS.map((c) => (
                      <tr key={c}>
                        <th scope="row">{CATEGORY_NAMES[c]}</th>
                        <td className="num">{formatNumber(s.kappa.perLabel[c], 3)}</td>
                        <td>
                          <BandPill band={s.band.perLabel[c]} none={KAPPA_NONE} />
                        </td>
                        <td className="num">{formatCount(s.units[c])}</td>
                      </tr>
                    ))}
                    <tr className="total">
                      <th scope="row">Overall</th>
                      <td className="num">{formatNumber(s.kappa.overall, 3)}</td>
                      <td>
                        <BandPill band={s.band.overall} none={KAPPA_NONE} />
                      </td>
                      <td className="num">{formatCount(s.units.overall)}</td>
                    </tr>
                  </tbody>
                </table>
                <p className="small muted">
                  Over records every assigned annotator labelled in that category. Landis &amp; Koch: &lt; 0 poor,
                  0–0.20 slight, 0.21–0.40 fair, 0.41–0.60 moderate, 0.61–0.80 substantial, 0.81–1 almost perfect.
                </p>
              </section>

              <section className="card" aria-labelledby="round-gold">
                <h3 id="round-gold">Gold labels</h3>
                <dl className="kv people-kv" data-testid="round-gold">
                  <div>
                    <dt>Agreed by majority</dt>
                    <dd>{formatCount(s.gold.agreed)}</dd>
                  </div>
                  <div>
                    <dt>Waiting for an expert</dt>
                    <dd>{formatCount(s.gold.queued)}</dd>
                  </div>
                  <div>
                    <dt>Adjudicated</dt>
                    <dd>{formatCount(s.gold.adjudicated)}</dd>
                  </div>
                  <div>
                    <dt>Incomplete (not labelled by all)</dt>
                    <dd>{formatCount(s.gold.incomplete)}</dd>
                  </div>
                </dl>
                {s.gold.queued > 0 && (
                  <div className="row">
                    <button type="button" className="btn small" onClick={() => setTab('adjudication')}>
                      Open the adjudication queue
                    </button>
                  </div>
                )}
              </section>
            </>
          )
        )}
      </div>

      {pending?.kind === 'remove' && (
        <RemoveSelectedDialog
          section="rounds"
          title={round.title}
          onClose={() => setPending(null)}
          remove={() => callContract(rounds.remove, { id: round.id })}
        >
          <p>
            Removes the round, every annotator’s labels and adjudications, and its links (they stop working). Labels
            already written to the dataset stay, with their edit history.
          </p>
        </RemoveSelectedDialog>
      )}
      {pending?.kind === 'revoke' && (
        <RevokeLinksDialog
          person={pending.annotator}
          kept="Their labels so far are kept."
          onClose={() => setPending(null)}
          revoke={async () => {
            const { revoked } = await callContract(rounds.invite, {
              id: round.id,
              annotator: pending.annotator,
              revoke: true,
            });
            setNotice(`Revoked ${revoked.length} link${revoked.length === 1 ? '' : 's'} of ${pending.annotator}.`);
            status.reload();
          }}
        />
      )}
      {pending?.kind === 'annotate' && (
        <EvaluatorModeDialog
          title={`Annotate as ${pending.annotator} in this window?`}
          as={{ kind: 'round', round: round.id, annotator: pending.annotator }}
          onClose={() => setPending(null)}
        >
          <p>
            This window will show only {pending.annotator}’s annotation page until you leave evaluator mode (its “Leave
            evaluator mode” button). Labels are saved as they are entered.
          </p>
        </EvaluatorModeDialog>
      )}
      {pending?.kind === 'apply' && (
        <ConfirmDialog
          title="Write gold labels to the dataset?"
          confirmLabel="Write gold labels"
          busyLabel="Writing…"
          onClose={() => setPending(null)}
          run={async () => {
            if (!expert.trim()) throw new Error('Give your name: the label edits record who made them.');
            rememberExpertName(expert);
            const out = await callContract(rounds.apply, { id: round.id, by: expert.trim() });
            setNotice(
              // `records` counts the records whose stored labels changed (settled ones already equal are left alone).
              `Changed the labels of ${plural(out.records, 'record')} in “${round.dataset}” (${plural(out.edits, 'label edit')})` +
                (out.pending > 0 ? `; ${plural(out.pending, 'record')} still wait and were not written.` : '.'),
            );
            usePeopleStore.getState().changed('rounds');
          }}
        >
          <p>
            Records with a majority in every category, and those an expert adjudicated, get their gold labels (and
            adjudicated benign variations) in “{round.dataset}”, each change kept as a label edit with your name and the
            time. Records still waiting are left as they are.
          </p>
          {s && (
            <p className="small">
              Now: {formatCount(s.gold.agreed)} agreed, {formatCount(s.gold.adjudicated)} adjudicated,{' '}
              {formatCount(s.gold.queued)} waiting, {formatCount(s.gold.incomplete)} incomplete.
            </p>
          )}
          <InputField label="Your name (the expert)" name="expert" value={expert} onChange={setExpert} />
        </ConfirmDialog>
      )}
    </div>
  );
}
