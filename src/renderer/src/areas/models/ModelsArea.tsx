// Models: the GGUF library (add by path, download from Hugging Face), each model's metadata and
// preflight verdict, and the OpenAI-compatible endpoints runs can target instead.
import { useEffect, useState } from 'react';
import { selectSelectedModel, useModelsStore } from './models';
import { useEndpointsStore } from './endpoints';
import '../../styles/llm.css';
import { AddModelDialog } from './AddModelDialog';
import { EndpointsView } from './EndpointsView';
import { ModelDetails } from './ModelDetails';
import { ModelList } from './ModelList';
import { ModelsEmpty } from './ModelsEmpty';
import { PullDialog } from './PullDialog';
import { RemoveModelDialog } from './RemoveModelDialog';

export type ModelsDialog = { kind: 'add' } | { kind: 'pull'; uri?: string } | { kind: 'remove'; name: string } | null;
export type ModelsView = 'model' | 'endpoints';

export function ModelsArea() {
  const selected = useModelsStore(selectSelectedModel);
  const loaded = useModelsStore((s) => s.loaded);
  const [dialog, setDialog] = useState<ModelsDialog>(null);
  const [view, setView] = useState<ModelsView>('model');

  useEffect(() => {
    void useModelsStore.getState().load();
    void useModelsStore.getState().loadHardware();
    void useEndpointsStore.getState().load();
  }, []);

  return (
    <div className="lab-area">
      <ModelList
        view={view}
        onView={setView}
        onAdd={() => setDialog({ kind: 'add' })}
        onPull={() => setDialog({ kind: 'pull' })}
      />
      <section className="lab-main" aria-label={view === 'endpoints' ? 'Endpoints' : 'Model'}>
        {view === 'endpoints' ? (
          <EndpointsView />
        ) : selected ? (
          <ModelDetails model={selected} onRemove={() => setDialog({ kind: 'remove', name: selected.name })} />
        ) : loaded ? (
          <ModelsEmpty onAdd={() => setDialog({ kind: 'add' })} onPull={(uri) => setDialog({ kind: 'pull', uri })} />
        ) : (
          <div className="empty-state">Loading models…</div>
        )}
      </section>
      {dialog?.kind === 'add' && <AddModelDialog onClose={() => setDialog(null)} onDone={() => setView('model')} />}
      {dialog?.kind === 'pull' && (
        <PullDialog initialUri={dialog.uri ?? ''} onClose={() => setDialog(null)} onDone={() => setView('model')} />
      )}
      {dialog?.kind === 'remove' && <RemoveModelDialog name={dialog.name} onClose={() => setDialog(null)} />}
    </div>
  );
}
