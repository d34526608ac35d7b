// Figures: pick an evaluation, a dataset or numbers of your own, a figure kind, its options, the
// width (one or two paper columns) and a theme; the preview is the kind's own React component —
// the very one the exports render server-side — and network nodes drag into place (positions
// kept in the spec). Exports download as SVG, PNG at a chosen DPI and vector PDF, with the data
// CSV and the spec JSON from which srlab redraws the identical figure.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ErrorBanner } from '../../components/ErrorBanner';
import { SelectField } from '../../components/FormFields';
import { Segmented } from '../../components/Segmented';
import type { AreaId } from '..';
import { useAreaStore } from '../../stores/area';
import { useDatasetsStore } from '../datasets/datasets';
import { useEvaluateStore } from '../evaluate/evaluate';
import { FIGURE_FORMATS, FIGURE_THEMES, FIGURE_WIDTHS } from '../../../../shared/figures/spec';
import {
  DATASET_SPLITS,
  MAX_DPI,
  MIN_DPI,
  SOURCE_KINDS,
  SOURCE_LABELS,
  adjustedPositions,
  inputExample,
  kindsForSource,
  type DatasetSplit,
  type FigureDraft,
  type SourceKind,
} from './figureForm';
import type { DatasetSummary } from '../../../../shared/contracts/datasets';
import type { EvaluationSummary } from '../../../../shared/contracts/evaluation';
import { humaneval, type HumanEvalSession } from '../../../../shared/contracts/humaneval';
import { callContract } from '../people/lab';
import { useFiguresStore, type FiguresState, type PreviewState } from './figures';
import { OptionsFields } from './OptionsFields';
import { FigurePreview } from './FigurePreview';
import '../../styles/llm.css';
import './figures.css';

export function FiguresArea() {
  const figures = useFiguresStore();
  const evaluations = useEvaluateStore(useShallow((s) => ({ list: s.evaluations, loaded: s.loaded, error: s.error })));
  const datasets = useDatasetsStore(useShallow((s) => ({ list: s.datasets, loaded: s.loaded, error: s.error })));
  const { draft } = figures;
  const sessions = useHumanEvalSessions(draft.sourceKind === 'humaneval');

  useEffect(() => {
    void useFiguresStore.getState().loadKinds();
    if (!useEvaluateStore.getState().loaded) void useEvaluateStore.getState().load();
    if (!useDatasetsStore.getState().loaded) void useDatasetsStore.getState().load();
  }, []);

  // The first finished evaluation (and the Datasets area's selection) until the user picks one.
  useEffect(() => {
    if (draft.evaluation !== null || evaluations.list.length === 0) return;
    const first = evaluations.list.find((e) => e.state === 'succeeded') ?? evaluations.list[0]!;
    useFiguresStore.getState().update({ evaluation: first.id });
  }, [draft.evaluation, evaluations.list]);
  useEffect(() => {
    if (draft.dataset !== null || datasets.list.length === 0) return;
    useFiguresStore.getState().update({ dataset: useDatasetsStore.getState().selected ?? datasets.list[0]!.name });
  }, [draft.dataset, datasets.list]);

  // The newest session with results until the user picks one.
  useEffect(() => {
    if (draft.humaneval !== null || sessions.list.length === 0) return;
    useFiguresStore.getState().update({ humaneval: sessions.list[0]!.id });
  }, [draft.humaneval, sessions.list]);
  return <FiguresView figures={figures} evaluations={evaluations} datasets={datasets} sessions={sessions} />;
}

/** Blind human-evaluation sessions (the People area keeps them), loaded when that source is picked. */
function useHumanEvalSessions(wanted: boolean): Listed<HumanEvalSession> & { reload: () => void } {
  const [state, setState] = useState<Listed<HumanEvalSession>>({ list: [], loaded: false, error: null });
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (!wanted) return;
    let live = true;
    callContract(humaneval.list, {}).then(
      (r) => live && setState({ list: [...r.sessions].reverse(), loaded: true, error: null }),
      (err: unknown) =>
        live && setState({ list: [], loaded: true, error: err instanceof Error ? err.message : String(err) }),
    );
    return () => {
      live = false;
    };
  }, [wanted, version]);
  return { ...state, reload: () => setVersion((v) => v + 1) };
}

interface Listed<T> {
  list: T[];
  loaded: boolean;
  error: string | null;
}

export interface FiguresViewProps {
  figures: FiguresState;
  evaluations: Listed<EvaluationSummary>;
  datasets: Listed<DatasetSummary>;
  sessions?: Listed<HumanEvalSession> & { reload?: () => void };
}

/** The area drawn from its state (props only, so it renders and tests without a browser). */
export function FiguresView({
  figures,
  evaluations,
  datasets,
  sessions = { list: [], loaded: true, error: null },
}: FiguresViewProps) {
  const { sourceKind } = figures.draft;
  const workspace = <FigureWorkspace figures={figures} />;
  return (
    <div className="lab-area figures-area">
      <SourcePanel
        draft={figures.draft}
        evaluations={evaluations.list}
        datasets={datasets.list}
        sessions={sessions.list}
      />
      <section className="lab-main figures-main" aria-label="Figure">
        {sourceKind === 'evaluation' ? (
          <ListGate
            listed={evaluations}
            what="evaluations"
            empty={<NoEvaluation />}
            retry={() => void useEvaluateStore.getState().load()}
          >
            {workspace}
          </ListGate>
        ) : sourceKind === 'dataset' ? (
          <ListGate
            listed={datasets}
            what="datasets"
            empty={<NoDataset />}
            retry={() => void useDatasetsStore.getState().load()}
          >
            {workspace}
          </ListGate>
        ) : sourceKind === 'humaneval' ? (
          <ListGate
            listed={sessions}
            what="human-evaluation sessions"
            empty={<NoHumanEval />}
            retry={() => sessions.reload?.()}
          >
            {workspace}
          </ListGate>
        ) : (
          workspace
        )}
      </section>
    </div>
  );
}

/** The workspace once the list it draws from has something; else loading, its error, or its empty state. */
function ListGate<T>({
  listed,
  what,
  empty,
  retry,
  children,
}: {
  listed: Listed<T>;
  what: string;
  empty: ReactNode;
  retry: () => void;
  children: ReactNode;
}) {
  if (listed.error) return <ErrorBanner message={listed.error} onRetry={retry} />;
  if (!listed.loaded) return <div className="empty-state">Loading {what}…</div>;
  return <>{listed.list.length > 0 ? children : empty}</>;
}

/** Where the figure's numbers come from: an evaluation, a dataset, or JSON typed here. */
function SourcePanel({
  draft,
  evaluations,
  datasets,
  sessions,
}: {
  draft: FigureDraft;
  evaluations: EvaluationSummary[];
  datasets: DatasetSummary[];
  sessions: HumanEvalSession[];
}) {
  const store = useFiguresStore.getState;
  const fileInput = useRef<HTMLInputElement>(null);

  return (
    <aside className="dataset-list figures-source" aria-label="Figure source">
      <div className="dataset-list-header">
        <h2>Figures</h2>
      </div>
      <div className="pad stack">
        <Segmented
          label="Draw from"
          segments={SOURCE_KINDS.map((k) => ({ value: k, label: SOURCE_LABELS[k] }))}
          value={draft.sourceKind}
          onChange={(k) => store().setSource(k)}
        />
        {draft.sourceKind === 'evaluation' && evaluations.length > 0 && (
          <SelectField
            label="Evaluation"
            name="evaluation"
            value={draft.evaluation === null ? '' : String(draft.evaluation)}
            onChange={(v) => store().update({ evaluation: v ? Number(v) : null })}
            options={evaluations.map((e) => ({ value: String(e.id), label: `#${e.id} ${e.name} (${e.state})` }))}
          />
        )}
        {draft.sourceKind === 'dataset' && datasets.length > 0 && (
          <>
            <SelectField
              label="Dataset"
              name="dataset"
              value={draft.dataset ?? ''}
              onChange={(v) => store().update({ dataset: v || null })}
              options={datasets.map((d) => d.name)}
            />
            <SelectField
              label="Split"
              name="split"
              value={draft.split}
              onChange={(v) => store().update({ split: v as DatasetSplit })}
              options={DATASET_SPLITS.map((s) => ({ value: s, label: s === 'all' ? 'all records' : s }))}
            />
          </>
        )}
        {draft.sourceKind === 'humaneval' && sessions.length > 0 && (
          <SelectField
            label="Session"
            name="humaneval"
            value={draft.humaneval === null ? '' : String(draft.humaneval)}
            onChange={(v) => store().update({ humaneval: v ? Number(v) : null })}
            options={sessions.map((x) => ({ value: String(x.id), label: `#${x.id} ${x.title}` }))}
          />
        )}
        {draft.sourceKind === 'input' && (
          <label className="field">
            <span>Numbers (JSON)</span>
            <textarea
              className="input mono figures-input"
              name="input"
              rows={14}
              spellCheck={false}
              value={draft.inputText}
              onChange={(e) => store().update({ inputText: e.target.value })}
            />
            <span className="row gap">
              <button
                type="button"
                className="btn small"
                onClick={() => store().update({ inputText: inputExample(draft.kind) })}
              >
                Example for this kind
              </button>
            </span>
          </label>
        )}
        <div className="figures-spec-open">
          <button type="button" className="btn small" onClick={() => fileInput.current?.click()}>
            Open a spec…
          </button>
          <input
            ref={fileInput}
            type="file"
            accept=".json,application/json"
            aria-label="Spec file"
            hidden
            onChange={async (e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (!file) return;
              store().loadSpec(await file.text());
            }}
          />
          <p className="muted small">A spec JSON saved beside an export draws the same figure again.</p>
        </div>
      </div>
    </aside>
  );
}

/** The other sources an empty-source message offers, and their buttons' words. */
const DRAW_INSTEAD: Record<Exclude<SourceKind, 'evaluation'>, string> = {
  dataset: 'Draw a dataset',
  humaneval: 'Draw a human evaluation',
  input: 'Plot my own numbers',
};

/** A source with nothing in it yet: what it is, a button to the area that makes one, and the sources to draw from now. */
function NoSource({
  title,
  children,
  area,
  areaLabel,
  instead,
}: {
  title: string;
  children: ReactNode;
  area: AreaId;
  areaLabel: string;
  instead: readonly (keyof typeof DRAW_INSTEAD)[];
}) {
  return (
    <div className="empty-state">
      <h2>{title}</h2>
      <p>{children}</p>
      <div className="row gap wrap">
        <button type="button" className="btn primary" onClick={() => useAreaStore.getState().go(area)}>
          {areaLabel}
        </button>
        {instead.map((source) => (
          <button
            key={source}
            type="button"
            className="btn"
            onClick={() => useFiguresStore.getState().setSource(source)}
          >
            {DRAW_INSTEAD[source]}
          </button>
        ))}
      </div>
    </div>
  );
}

/** No evaluation yet: say what one is and go where it is made (or draw from elsewhere). */
export function NoEvaluation() {
  return (
    <NoSource title="No evaluation yet" area="evaluate" areaLabel="Go to Evaluation" instead={['dataset', 'input']}>
      Benchmark charts, the paper’s tables, t-distributions and style-trait networks are drawn from an evaluation’s
      stored scores. Run one in the Evaluation area, or draw a dataset’s statistics or numbers of your own now.
    </NoSource>
  );
}

export function NoHumanEval() {
  return (
    <NoSource title="No human evaluation yet" area="people" areaLabel="Go to People" instead={['input']}>
      The paper’s Figure 4 (safety against language understanding per model) is drawn from a blind human-evaluation
      session’s scores. Start one in the People area, or plot numbers of your own now.
    </NoSource>
  );
}

export function NoDataset() {
  return (
    <NoSource title="No dataset yet" area="datasets" areaLabel="Go to Datasets" instead={['input']}>
      Label distributions, length histograms and reading ease by sentiment are drawn from a dataset’s statistics.
    </NoSource>
  );
}

/** The kind, its settings, the preview and the exports. */
function FigureWorkspace({ figures }: { figures: FiguresState }) {
  const { kinds, kindsLoaded, kindsError, draft } = figures;
  const store = useFiguresStore.getState;
  if (kindsError)
    return (
      <ErrorBanner
        message={`Figure kinds: ${kindsError}`}
        onRetry={() => void useFiguresStore.getState().loadKinds()}
      />
    );
  if (!kindsLoaded) return <div className="empty-state">Loading figure kinds…</div>;
  const fitting = kindsForSource(kinds, draft.sourceKind);
  if (fitting.length === 0)
    return (
      <div className="empty-state">
        <h2>No figure kind draws from {SOURCE_LABELS[draft.sourceKind].toLowerCase()} in this build</h2>
        <div className="row gap wrap">
          {SOURCE_KINDS.filter((k) => k !== draft.sourceKind && kindsForSource(kinds, k).length > 0).map((k) => (
            <button key={k} type="button" className="btn" onClick={() => store().setSource(k)}>
              Draw from {SOURCE_LABELS[k].toLowerCase()}
            </button>
          ))}
        </div>
      </div>
    );
  const info = fitting.find((k) => k.kind === draft.kind);
  return (
    <div className="figures-workspace">
      <section className="card" aria-label="Figure settings">
        <div className="row gap wrap">
          <SelectField
            label="Figure"
            name="kind"
            value={draft.kind ?? ''}
            onChange={(v) => store().update({ kind: fitting.find((k) => k.kind === v)?.kind ?? null })}
            options={fitting.map((k) => ({ value: k.kind, label: k.label }))}
          />
          <SelectField
            label="Width"
            name="width"
            value={draft.width}
            onChange={(v) => store().update({ width: v === 'single' ? 'single' : 'double' })}
            options={(['single', 'double'] as const).map((w) => ({
              value: w,
              label: `${w === 'single' ? 'One column' : 'Two columns'} (${FIGURE_WIDTHS[w]} in)`,
            }))}
          />
          <SelectField
            label="Theme"
            name="theme"
            value={draft.theme}
            onChange={(v) => store().update({ theme: FIGURE_THEMES.find((t) => t === v) ?? 'paper' })}
            options={[...FIGURE_THEMES]}
          />
        </div>
        {info && <OptionsFields key={info.kind} schema={info.options} options={draft.options} />}
        <label className="field">
          <span>Caption (empty: srlab writes one with the numbers’ provenance)</span>
          <input
            className="input"
            name="caption"
            value={draft.caption}
            maxLength={2000}
            onChange={(e) => store().update({ caption: e.target.value })}
          />
        </label>
      </section>
      <PreviewCard preview={figures.preview} draft={draft} />
      <ExportBar figures={figures} />
    </div>
  );
}

function PreviewCard({ preview, draft }: { preview: PreviewState; draft: FigureDraft }) {
  const moved = Object.keys(adjustedPositions(draft.options)).length;
  return (
    <section className="card figures-preview" aria-label="Preview" aria-busy={preview.status === 'loading'}>
      <div className="row gap">
        <h3>Preview</h3>
        {preview.status === 'loading' && <span className="muted small">Drawing…</span>}
        <span className="spacer" />
        {moved > 0 && (
          <>
            <span className="muted small" data-testid="figure-moved">
              Layout adjusted by hand ({moved} node positions kept in the spec)
            </span>
            <button type="button" className="btn small" onClick={() => useFiguresStore.getState().resetLayout()}>
              Reset layout
            </button>
          </>
        )}
      </div>
      {preview.status === 'error' ? (
        <ErrorBanner
          message={preview.error}
          issues={preview.issues}
          onRetry={() => void useFiguresStore.getState().redraw()}
        />
      ) : preview.error ? (
        <p className="muted">{preview.error}</p>
      ) : null}
      {preview.rendered && <FigurePreview rendered={preview.rendered} draft={draft} />}
      {preview.rendered && (
        <p className="figures-caption" data-testid="figure-caption">
          {preview.rendered.caption}
        </p>
      )}
    </section>
  );
}

const FORMAT_LABELS = { svg: 'SVG', png: 'PNG', pdf: 'PDF' } as const;

function ExportBar({ figures }: { figures: FiguresState }) {
  const { dpi, exporting, exportError, lastExport } = figures;
  const ready = figures.preview.status === 'ready';
  const store = useFiguresStore.getState;
  const busy = exporting !== null;
  return (
    <section className="card" aria-label="Export">
      <div className="row gap wrap figures-export">
        <span className="muted small">Download:</span>
        {FIGURE_FORMATS.map((f) => (
          <span key={f} className="row gap">
            <button type="button" className="btn" disabled={busy || !ready} onClick={() => void store().exportAs(f)}>
              {exporting === f ? `${FORMAT_LABELS[f]}…` : FORMAT_LABELS[f]}
            </button>
            {f === 'png' && (
              <label className="field inline">
                <span>DPI</span>
                <input
                  className="input figures-dpi"
                  name="dpi"
                  type="number"
                  min={MIN_DPI}
                  max={MAX_DPI}
                  step={1}
                  value={dpi}
                  onChange={(e) => store().setDpi(e.target.value)}
                />
              </label>
            )}
          </span>
        ))}
        <span className="spacer" />
        <button
          type="button"
          className="btn"
          disabled={busy || !ready}
          onClick={() => void store().downloadSide('csv')}
        >
          {exporting === 'csv' ? 'Data CSV…' : 'Data CSV'}
        </button>
        <button
          type="button"
          className="btn"
          disabled={busy || !ready}
          onClick={() => void store().downloadSide('json')}
        >
          {exporting === 'json' ? 'Spec JSON…' : 'Spec JSON'}
        </button>
      </div>
      <ErrorBanner message={exportError} onDismiss={() => useFiguresStore.setState({ exportError: null })} />
      {lastExport && (
        <p className="muted small" data-testid="figure-last-export">
          Downloaded {lastExport.fileName} ({lastExport.bytes.toLocaleString()} bytes)
        </p>
      )}
    </section>
  );
}
