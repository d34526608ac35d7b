// People: the humans in the loop. Human evaluation (blind S/L scoring of generation runs, the
// paper's section 5.5 and Figure 4) and annotation rounds (CMD labelling with majority vote,
// expert adjudication and Fleiss' kappa), each a list beside the selected one's detail.
import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { errorMessage } from '../../api';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Tabs } from '../../components/Tabs';
import { ItemListEntry, ItemListHeader, ItemListStatus } from '../../components/ItemList';
import { formatCount, formatDateTime } from '../../lib/format';
import '../../styles/llm.css';
import './people.css';
import { importHumanEvalFile } from './files';
import { InvitesPanel } from './InvitesPanel';
import { NewRoundForm } from './NewRoundForm';
import { NewSessionForm } from './NewSessionForm';
import {
  selectInvites,
  selectMode,
  selectRounds,
  selectSection,
  selectSelectedRound,
  selectSelectedSession,
  selectSessions,
  usePeopleStore,
  type PeopleSection,
} from './people';
import { RoundView } from './RoundView';
import { SessionView } from './SessionView';
import { FilePickButton } from './ui';

const openNew = () => usePeopleStore.getState().setMode('new');

const SECTIONS = [
  { id: 'humaneval', label: 'Human evaluation' },
  { id: 'rounds', label: 'Annotation rounds' },
] as const satisfies readonly { id: PeopleSection; label: string }[];

export function PeopleArea() {
  const section = usePeopleStore(selectSection);
  const mode = usePeopleStore(selectMode);
  const invites = usePeopleStore(selectInvites);

  useEffect(() => {
    void usePeopleStore.getState().loadSessions();
    void usePeopleStore.getState().loadRounds();
  }, []);

  return (
    <div className="lab-area people-area">
      <aside className="dataset-list" aria-label="People">
        <div className="pad people-sections">
          <Tabs
            label="People sections"
            tabs={SECTIONS}
            value={section}
            onChange={(s) => usePeopleStore.getState().setSection(s)}
          />
        </div>
        {section === 'humaneval' ? <SessionList /> : <RoundList />}
      </aside>
      <section className="lab-main" aria-label={section === 'humaneval' ? 'Human evaluation' : 'Annotation rounds'}>
        {invites && invites.section === section && (
          <div className="pad">
            <InvitesPanel shown={invites} />
          </div>
        )}
        {section === 'humaneval' ? (
          mode === 'new' ? (
            <NewSessionForm />
          ) : (
            <SessionMain />
          )
        ) : mode === 'new' ? (
          <NewRoundForm />
        ) : (
          <RoundMain />
        )}
      </section>
    </div>
  );
}

function SessionMain() {
  const session = usePeopleStore(selectSelectedSession);
  const list = usePeopleStore(useShallow(selectSessions));
  if (session) return <SessionView key={session.id} session={session} />;
  if (!list.loaded) return <div className="empty-state">Loading sessions…</div>;
  if (list.error) return null;
  return (
    <div className="empty-state">
      <h2>No human evaluation yet</h2>
      <p>
        Compare generation runs the way the paper did (section 5.5, Figure 4): sample prompts, and let evaluators score
        each response for safety (S) and language understanding (L) on 1–5 without knowing which model wrote it — three
        evaluators per item, optionally as A/B pairs. Each evaluator gets their own link for serve mode, a file to score
        offline, or this window.
      </p>
      <button type="button" className="btn primary" onClick={() => usePeopleStore.getState().setMode('new')}>
        New session…
      </button>
    </div>
  );
}

function RoundMain() {
  const round = usePeopleStore(selectSelectedRound);
  const list = usePeopleStore(useShallow(selectRounds));
  if (round) return <RoundView key={round.id} round={round} />;
  if (!list.loaded) return <div className="empty-state">Loading rounds…</div>;
  if (list.error) return null;
  return (
    <div className="empty-state">
      <h2>No annotation round yet</h2>
      <p>
        Label records the way the CMD was made: several annotators label bias, toxicity, sentiment and harm, mark biased
        words and write the benign variation; gold labels come by majority vote, ties go to an expert, and Fleiss’ kappa
        says how well the annotators agreed (the paper reports 0.70–0.78 per category).
      </p>
      <button type="button" className="btn primary" onClick={() => usePeopleStore.getState().setMode('new')}>
        New round…
      </button>
    </div>
  );
}

function SessionList() {
  const list = usePeopleStore(useShallow(selectSessions));
  const selected = usePeopleStore((s) => s.selectedSession);
  const mode = usePeopleStore(selectMode);
  const [importing, setImporting] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  // A session file (to score offline here) or an answers file (merged into a lab session).
  const importFile = async (file: File) => {
    setImporting(true);
    setMessage(null);
    try {
      const out = await importHumanEvalFile(file);
      const store = usePeopleStore.getState();
      await store.loadSessions();
      if (out.kind === 'session') {
        store.selectSession(out.session.id);
        setMessage({
          ok: true,
          text: `Opened “${out.session.title}” for ${out.evaluator} (${formatCount(out.items)} items): use Score here, then Export answers file.`,
        });
      } else {
        store.selectSession(out.session);
        setMessage({ ok: true, text: `Imported ${formatCount(out.answers)} answers of ${out.evaluator}.` });
      }
    } catch (err) {
      setMessage({ ok: false, text: errorMessage(err) });
    } finally {
      setImporting(false);
    }
  };

  return (
    <>
      <ItemListHeader title="Sessions" newLabel="New session…" onNew={openNew} />
      <div className="pad">
        <FilePickButton
          label={importing ? 'Importing…' : 'Import a file…'}
          accept=".json,.srlab,application/json"
          className="btn small"
          disabled={importing}
          onFile={(f) => void importFile(f)}
        />
        {message &&
          (message.ok ? (
            <p className="small ok-text" role="status">
              {message.text}
            </p>
          ) : (
            <ErrorBanner message={message.text} onDismiss={() => setMessage(null)} />
          ))}
      </div>
      <ItemListStatus
        {...list}
        count={list.items.length}
        empty="No sessions yet."
        onRetry={() => void usePeopleStore.getState().loadSessions()}
      />
      <ul className="dataset-items">
        {list.items.map((s) => (
          <ItemListEntry
            key={s.id}
            id={s.id}
            name={s.title}
            active={mode === 'view' && s.id === selected}
            onSelect={() => usePeopleStore.getState().selectSession(s.id)}
          >
            <span className="dataset-item-meta">
              {s.origin === 'offline' ? 'offline copy · ' : ''}
              {s.mode === 'pairs' ? 'pairs' : 'single'} · {s.models.length} model{s.models.length === 1 ? '' : 's'} ·{' '}
              {s.evaluators.length} evaluator{s.evaluators.length === 1 ? '' : 's'}
            </span>
            <span className="dataset-item-meta">{formatDateTime(s.createdAt)}</span>
          </ItemListEntry>
        ))}
      </ul>
    </>
  );
}

function RoundList() {
  const list = usePeopleStore(useShallow(selectRounds));
  const selected = usePeopleStore((s) => s.selectedRound);
  const mode = usePeopleStore(selectMode);
  return (
    <>
      <ItemListHeader title="Rounds" newLabel="New round…" onNew={openNew} />
      <ItemListStatus
        {...list}
        count={list.items.length}
        empty="No rounds yet."
        onRetry={() => void usePeopleStore.getState().loadRounds()}
      />
      <ul className="dataset-items">
        {list.items.map((r) => (
          <ItemListEntry
            key={r.id}
            id={r.id}
            name={r.title}
            active={mode === 'view' && r.id === selected}
            onSelect={() => usePeopleStore.getState().selectRound(r.id)}
          >
            <span className="dataset-item-meta">
              {r.dataset} · {formatCount(r.records)} records · {r.annotators.length} annotator
              {r.annotators.length === 1 ? '' : 's'}
            </span>
            <span className="dataset-item-meta">
              {r.appliedAt ? `applied ${formatDateTime(r.appliedAt)}` : formatDateTime(r.createdAt)}
            </span>
          </ItemListEntry>
        ))}
      </ul>
    </>
  );
}
