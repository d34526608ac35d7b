// One human-evaluation session: what it compares and how, each evaluator's progress and link,
// the actions on them (new link, revoke, offline file, score in this window), answers imported
// back, and the results.
import { useState, type ReactNode } from 'react';
import { humaneval, type HumanEvalSession } from '../../../../shared/contracts/humaneval';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Tabs } from '../../components/Tabs';
import { OkBanner } from '../../components/OkBanner';
import { PageHeader } from '../../components/PageHeader';
import { ProgressBar } from '../../components/ProgressBar';
import { formatBytes, formatCount, formatDateTime } from '../../lib/format';
import { exportEvaluatorFile, importHumanEvalFile, type ExportOutcome, type ImportOutcome } from './files';
import { callContract } from './lab';
import { linksSummary } from './links';
import { EvaluatorModeDialog, LinkButtons, ProgressCell, RevokeLinksDialog, WorkHereButton } from './PersonRow';
import { selectSessionsVersion, usePeopleStore } from './people';
import { SessionResults } from './SessionResults';
import { FilePickButton, LinkStatePill } from './ui';
import { RemoveSelectedDialog } from './RemoveDialog';
import { useAction } from './useAction';
import { useRemote } from './useRemote';

type SessionTab = 'evaluators' | 'results';
const TABS = [
  { id: 'evaluators', label: 'Evaluators' },
  { id: 'results', label: 'Results' },
] as const;

type Pending =
  | { kind: 'revoke'; evaluator: string }
  | { kind: 'score'; evaluator: string }
  | { kind: 'remove' }
  | { kind: 'score-imported'; session: number; evaluator: string; title: string }
  | null;

type Notice =
  | { kind: 'export'; evaluator: string; out: ExportOutcome }
  | { kind: 'import'; out: ImportOutcome }
  | { kind: 'text'; text: string }
  | null;

export function SessionView({ session }: { session: HumanEvalSession }) {
  const version = usePeopleStore(selectSessionsVersion);
  const [tab, setTab] = useState<SessionTab>('evaluators');
  const [pending, setPending] = useState<Pending>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const { busy, error, clearError, act } = useAction();
  const [upload, setUpload] = useState<{ sent: number; total: number } | null>(null);
  const status = useRemote(`session:${session.id}`, version, () => callContract(humaneval.status, { id: session.id }));
  const offline = session.origin === 'offline';

  const newLink = (evaluator: string) =>
    act(`link:${evaluator}`, async () => {
      const { invite } = await callContract(humaneval.invite, { id: session.id, evaluator });
      if (invite)
        usePeopleStore
          .getState()
          .showInvites({ section: 'humaneval', id: session.id, title: session.title, invites: [invite] });
      status.reload();
    });

  const exportFile = (evaluator: string) =>
    act(`export:${evaluator}`, async () => {
      setNotice({ kind: 'export', evaluator, out: await exportEvaluatorFile(session.id, evaluator) });
    });

  const importFile = (file: File) =>
    act('import', async () => {
      setUpload({ sent: 0, total: file.size });
      try {
        const out = await importHumanEvalFile(file, (sent, total) => setUpload({ sent, total }));
        setNotice({ kind: 'import', out });
        usePeopleStore.getState().changed('humaneval');
        status.reload();
      } finally {
        setUpload(null);
      }
    });

  return (
    <div className="model-details" data-testid="session-view">
      <PageHeader
        title={session.title}
        summary={
          <>
            <p className="muted">
              Session #{session.id} · {session.mode === 'pairs' ? 'A/B pairs' : 'single responses'} ·{' '}
              {formatCount(session.prompts)} prompts, {formatCount(session.items)} items · {session.perItem} evaluator
              {session.perItem === 1 ? '' : 's'} per item · seed {session.seed}
              {session.stratified ? ' · stratified by group' : ''} · created {formatDateTime(session.createdAt)}
              {offline ? ' · offline copy (scored here, answers exported back to the lab)' : ''}
            </p>
            <p className="small">Models: {session.models.map((m) => m.label).join(' · ') || '–'}</p>
          </>
        }
        actions={
          <>
            {!offline && (
              <FilePickButton
                label={busy === 'import' ? 'Importing…' : 'Import answers…'}
                accept=".json,.srlab,application/json"
                disabled={busy === 'import'}
                onFile={(f) => void importFile(f)}
              />
            )}
            <button type="button" className="btn danger" onClick={() => setPending({ kind: 'remove' })}>
              Remove session
            </button>
          </>
        }
      >
        <Tabs label="Session views" tabs={TABS} value={tab} onChange={setTab} />
      </PageHeader>
      <div className="lab-scroll">
        <ErrorBanner message={error} onDismiss={clearError} />
        {upload && (
          <div className="stack">
            <ProgressBar done={upload.sent} total={upload.total} label="Upload" />
            <span className="small muted">
              Uploading {formatBytes(upload.sent)} of {formatBytes(upload.total)}…
            </span>
          </div>
        )}
        <NoticeBanner
          notice={notice}
          onDismiss={() => setNotice(null)}
          onScoreImported={(n) => setPending({ kind: 'score-imported', ...n })}
        />
        {tab === 'evaluators' ? (
          <section aria-label="Evaluators">
            <ErrorBanner message={status.error} onRetry={status.reload} />
            {!status.data && status.loading && <p className="muted">Loading progress…</p>}
            {status.data && (
              <table className="data-table people-table" data-testid="evaluator-progress">
                <caption className="visually-hidden">Progress per evaluator</caption>
                <thead>
                  <tr>
                    <th scope="col">Evaluator</th>
                    <th scope="col">Answered</th>
                    <th scope="col" className="num">
                      Skipped
                    </th>
                    <th scope="col" className="num">
                      Flagged
                    </th>
                    <th scope="col">Last activity</th>
                    <th scope="col">Submitted</th>
                    {!offline && <th scope="col">Link</th>}
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  {status.data.evaluators.map((e) => (
                    <tr key={e.evaluator} data-testid="evaluator-row">
                      <th scope="row">{e.evaluator}</th>
                      <ProgressCell person={e.evaluator} done={e.answered} assigned={e.assigned} />
                      <td className="num">{formatCount(e.skipped)}</td>
                      <td className="num">{formatCount(e.flagged)}</td>
                      <td>{e.lastActivityAt ? formatDateTime(e.lastActivityAt) : '–'}</td>
                      <td>{e.submittedAt ? formatDateTime(e.submittedAt) : 'not yet'}</td>
                      {!offline && (
                        <td>
                          <LinkStatePill summary={linksSummary(e.invites)} />
                        </td>
                      )}
                      <td>
                        <div className="row gap wrap">
                          {!offline && (
                            <LinkButtons
                              person={e.evaluator}
                              making={busy === `link:${e.evaluator}`}
                              activeLinks={linksSummary(e.invites).active}
                              onNewLink={() => void newLink(e.evaluator)}
                              onRevoke={() => setPending({ kind: 'revoke', evaluator: e.evaluator })}
                            />
                          )}
                          <button
                            type="button"
                            className="btn small"
                            aria-label={`${offline ? 'Export answers file' : 'Export session file'} for ${e.evaluator}`}
                            disabled={busy === `export:${e.evaluator}`}
                            onClick={() => void exportFile(e.evaluator)}
                          >
                            {busy === `export:${e.evaluator}`
                              ? 'Exporting…'
                              : offline
                                ? 'Export answers file'
                                : 'Export session file'}
                          </button>
                          <WorkHereButton
                            person={e.evaluator}
                            verb="Score"
                            onClick={() => setPending({ kind: 'score', evaluator: e.evaluator })}
                          />
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {!offline && (
              <p className="small muted">
                Offline: export an evaluator’s session file, they open it in their own srlab (Import a file…), score,
                and export their answers; import the answers here. Files are signed: a changed or mismatched file is
                refused.
              </p>
            )}
          </section>
        ) : (
          <SessionResults session={session} version={version} />
        )}
      </div>
      {pending?.kind === 'remove' && (
        <RemoveSelectedDialog
          section="humaneval"
          title={session.title}
          onClose={() => setPending(null)}
          remove={() => callContract(humaneval.remove, { id: session.id })}
        >
          <p>
            Removes the session, every evaluator’s scores and its invitation links (they stop working). The generation
            runs stay.
          </p>
        </RemoveSelectedDialog>
      )}
      {pending?.kind === 'revoke' && (
        <RevokeLinksDialog
          person={pending.evaluator}
          kept="Their answers so far are kept; make a new link to let them go on."
          onClose={() => setPending(null)}
          revoke={async () => {
            const { revoked } = await callContract(humaneval.invite, {
              id: session.id,
              evaluator: pending.evaluator,
              revoke: true,
            });
            setNotice({
              kind: 'text',
              text: `Revoked ${revoked.length} link${revoked.length === 1 ? '' : 's'} of ${pending.evaluator}.`,
            });
            status.reload();
          }}
        />
      )}
      {(pending?.kind === 'score' || pending?.kind === 'score-imported') && (
        <EvaluatorModeDialog
          title={`Score as ${pending.evaluator} in this window?`}
          as={{
            kind: 'humaneval',
            session: pending.kind === 'score' ? session.id : pending.session,
            evaluator: pending.evaluator,
          }}
          onClose={() => setPending(null)}
        >
          <p>
            This window will show only {pending.evaluator}’s evaluator page — no model names, no lab — until you leave
            evaluator mode (its “Leave evaluator mode” button). Answers are saved as they are entered.
          </p>
        </EvaluatorModeDialog>
      )}
    </div>
  );
}

function NoticeBanner({
  notice,
  onDismiss,
  onScoreImported,
}: {
  notice: Notice;
  onDismiss: () => void;
  onScoreImported: (n: { session: number; evaluator: string; title: string }) => void;
}) {
  if (!notice) return null;
  let body: ReactNode;
  let extra: ReactNode = null;
  if (notice.kind === 'text') body = notice.text;
  else if (notice.kind === 'export') {
    const { out, evaluator } = notice;
    body = (
      <>
        Wrote {out.kind === 'session' ? `${evaluator}’s session file` : `${evaluator}’s answers`} (
        {formatCount(out.items)} items) to <code className="path">{out.path}</code>
        {out.url ? '; the download has started.' : '.'}
        {out.kind === 'session' &&
          ' It holds the prompts and responses without model names; the evaluator imports it in their own srlab.'}
      </>
    );
    if (out.url)
      extra = (
        <a className="btn small" href={out.url} download={out.fileName}>
          Download again
        </a>
      );
  } else if (notice.out.kind === 'answers') {
    const o = notice.out;
    body = `Imported ${formatCount(o.answers)} answers of ${o.evaluator} into session #${o.session}${
      o.submittedAt ? ` (submitted ${formatDateTime(o.submittedAt)})` : ' (not submitted yet)'
    }.`;
  } else {
    const o = notice.out;
    body = `Opened “${o.session.title}” for ${o.evaluator} (${formatCount(o.items)} items) to score offline in this srlab.`;
    extra = (
      <button
        type="button"
        className="btn small primary"
        onClick={() => onScoreImported({ session: o.session.id, evaluator: o.evaluator, title: o.session.title })}
      >
        Score it here
      </button>
    );
  }
  return (
    <OkBanner actions={extra} onDismiss={onDismiss}>
      {body}
    </OkBanner>
  );
}
