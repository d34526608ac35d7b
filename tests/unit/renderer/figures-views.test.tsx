// The Figures area's views rendered without a browser (react-dom/server): the area is registered
// under the nav's planned "Figures" label; with nothing to draw from, the empty states offer
// buttons to where evaluations and datasets are made; the preview is the kind's own component
// and draws exactly the SVG the core's render (the export path) gives for the same spec; a drag
// (onAdjust) keeps node positions in the spec, and the core then draws them; dataset text stays text.
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, test } from 'vitest';
import type { FigureRendered } from '../../../src/shared/contracts/figures';
import type { FigureSpecInput } from '../../../src/shared/figures/spec';
import { renderFigure } from '../../../src/main/core/figures/render';
import type { FigureDataDeps } from '../../../src/main/core/figures/deps';
import { AREAS } from '../../../src/renderer/src/areas';
import { FiguresView } from '../../../src/renderer/src/areas/figures/FiguresArea';
import { FigurePreview } from '../../../src/renderer/src/areas/figures/FigurePreview';
import { useFiguresStore, type FiguresState } from '../../../src/renderer/src/areas/figures/figures';
import {
  EMPTY_DRAFT,
  draftToSpec,
  specToDraft,
  type FigureDraft,
} from '../../../src/renderer/src/areas/figures/figureForm';
import type { DatasetSummary } from '../../../src/shared/contracts/datasets';
import type { EvaluationSummary } from '../../../src/shared/contracts/evaluation';

/** Inline-input specs never reach the data modules, so the core's render needs no services for them. */
const NO_DEPS = {} as FigureDataDeps;

const T_INPUT = { summary: { n: 16602, mean: 0.2, sd: 0.9 }, mu: 0, alpha: 0.05 };
const tSpec: FigureSpecInput = {
  kind: 't-dist',
  source: { kind: 'input', data: T_INPUT },
  width: 'double',
  theme: 'paper',
};

const network = (name: string): FigureSpecInput => ({
  kind: 'trait-network',
  source: {
    kind: 'input',
    data: {
      texts: [
        { probs: { calm: 0.9, [name]: 0.8, formal: 0.3, terse: 0.1 } },
        { probs: { calm: 0.7, [name]: 0.6, formal: 0.5, terse: 0.2 } },
        { probs: { calm: 0.6, [name]: 0.5, formal: 0.7, terse: 0.1 } },
      ],
    },
  },
  width: 'single',
  theme: 'paper',
});

/** The markup without the XML prolog and with the namespace React leaves to the kind (the core adds it when absent). */
const body = (svg: string) => svg.replace(/^<\?xml[^>]*>\s*/, '').replace(' xmlns="http://www.w3.org/2000/svg"', '');

afterEach(() => {
  useFiguresStore.setState({ draft: EMPTY_DRAFT, kinds: [], kindsLoaded: false, kindsError: null });
});

describe('the Figures area', () => {
  test('is registered under the nav’s planned label', () => {
    const area = AREAS.find((a) => a.id === 'figures');
    expect(area?.label).toBe('Figures');
  });

  const listed = <T,>(list: T[]) => ({ list, loaded: true, error: null });
  const view = (patch: Partial<FiguresState>, evaluations: EvaluationSummary[] = [], datasets: DatasetSummary[] = []) =>
    renderToStaticMarkup(
      <FiguresView
        figures={{ ...useFiguresStore.getState(), ...patch }}
        evaluations={listed(evaluations)}
        datasets={listed(datasets)}
      />,
    );

  test('no evaluation yet: it says what figures need one and offers the way there and elsewhere', () => {
    const html = view({ draft: { ...EMPTY_DRAFT, sourceKind: 'evaluation' } });
    expect(html).toContain('No evaluation yet');
    expect(html).toMatch(/<button[^>]*>Go to Evaluation<\/button>/);
    expect(html).toMatch(/<button[^>]*>Plot my own numbers<\/button>/);
    expect(html).toMatch(/<button[^>]*>Draw a dataset<\/button>/);
    // Still loading: no empty state yet.
    const loading = renderToStaticMarkup(
      <FiguresView
        figures={useFiguresStore.getState()}
        evaluations={{ list: [], loaded: false, error: null }}
        datasets={listed([])}
      />,
    );
    expect(loading).toContain('Loading evaluations…');
    expect(loading).not.toContain('No evaluation yet');
  });

  test('no dataset yet: a button to the Datasets area', () => {
    const html = view({ draft: { ...EMPTY_DRAFT, sourceKind: 'dataset' } });
    expect(html).toContain('No dataset yet');
    expect(html).toMatch(/<button[^>]*>Go to Datasets<\/button>/);
  });

  test('with kinds loaded and input chosen: kind, width, theme, the kind’s options and the export buttons', () => {
    const html = view({
      kinds: [
        {
          kind: 't-dist',
          label: 't distribution',
          sources: ['evaluation', 'input'],
          options: {
            type: 'object',
            properties: { alternative: { type: 'string', enum: ['two-sided', 'greater', 'less'] } },
          },
        },
      ],
      kindsLoaded: true,
      draft: { ...EMPTY_DRAFT, sourceKind: 'input', kind: 't-dist', inputText: JSON.stringify(T_INPUT) },
    });
    for (const name of ['kind', 'width', 'theme', 'option-alternative', 'dpi', 'input', 'caption'])
      expect(html, name).toContain(`name="${name}"`);
    for (const label of ['SVG', 'PNG', 'PDF', 'Data CSV', 'Spec JSON'])
      expect(html).toMatch(new RegExp(`<button[^>]*disabled=""[^>]*>${label}</button>`));
    expect(html).toContain('Two columns (7 in)');
    // A kind that draws from no evaluation is not offered for one: the empty state names the sources that work.
    const none = view(
      { kinds: [{ kind: 'dataset', label: 'Dataset', sources: ['dataset'], options: {} }], kindsLoaded: true },
      [{ id: 1 } as EvaluationSummary],
    );
    expect(none).toContain('No figure kind draws from an evaluation');
    expect(none).toMatch(/<button[^>]*>Draw from a dataset<\/button>/);
  });
});

describe('the preview is the kind’s own component', () => {
  test('t-dist from input: the preview draws the very SVG the core renders for export', async () => {
    const rendered = await renderFigure(tSpec, NO_DEPS);
    const draft = specToDraft(rendered.spec);
    const html = renderToStaticMarkup(<FigurePreview rendered={rendered} draft={draft} />);
    expect(html).toContain('data-drawn-by="component"');
    const svg = html.slice(html.indexOf('<svg'), html.lastIndexOf('</svg>') + 6);
    expect(body(svg)).toBe(body(rendered.svg));
  });

  test('an option changed in the draft shows at once (the preview uses the draft’s options)', async () => {
    const rendered = await renderFigure(tSpec, NO_DEPS);
    const two = renderToStaticMarkup(<FigurePreview rendered={rendered} draft={specToDraft(rendered.spec)} />);
    const greater: FigureDraft = { ...specToDraft(rendered.spec), options: { alternative: 'greater' } };
    const one = renderToStaticMarkup(<FigurePreview rendered={rendered} draft={greater} />);
    expect(one).not.toBe(two);
    const exported = await renderFigure({ ...tSpec, options: { alternative: 'greater' } }, NO_DEPS);
    expect(body(one.slice(one.indexOf('<svg'), one.lastIndexOf('</svg>') + 6))).toBe(body(exported.svg));
  });

  test('without the data (a figure from an evaluation) the server’s SVG shows as an image, escaped', () => {
    const rendered: FigureRendered = {
      svg: '<svg xmlns="http://www.w3.org/2000/svg"><text>bars</text></svg>',
      caption: 'Caption "quoted"',
      width: 504,
      height: 100,
      rows: [],
      spec: {
        kind: 'bars',
        source: { kind: 'evaluation', evaluation: 1 },
        width: 'double',
        theme: 'paper',
        options: {},
      },
    };
    const html = renderToStaticMarkup(<FigurePreview rendered={rendered} draft={specToDraft(rendered.spec)} />);
    expect(html).toContain('data-drawn-by="server"');
    expect(html).toContain('<img src="data:image/svg+xml;charset=utf-8,%3Csvg');
    expect(html).not.toContain('<text>');
  });

  test('a drag’s positions are kept in the spec, and the export path draws them', async () => {
    const spec = network('warm');
    const rendered = await renderFigure(spec, NO_DEPS);
    useFiguresStore.setState({ draft: specToDraft(rendered.spec) });
    const positions = { calm: [0.1, 0.1], warm: [0.9, 0.9], formal: [0.1, 0.9] };
    useFiguresStore.getState().adjust({ ...rendered.spec.options, positions });
    const named = draftToSpec(useFiguresStore.getState().draft);
    expect(named.ok && named.spec.options?.positions).toEqual(positions);
    const moved = await renderFigure(named.ok ? named.spec : spec, NO_DEPS);
    expect(moved.caption).toContain('positions adjusted by hand');
    expect(body(moved.svg)).not.toBe(body(rendered.svg));
    // Reset drops them again.
    useFiguresStore.getState().resetLayout();
    expect('positions' in useFiguresStore.getState().draft.options).toBe(false);
  });

  test('trait names from data are text in the SVG, never markup', async () => {
    const evil = '<img src=x onerror=alert(1)>';
    const rendered = await renderFigure(network(evil), NO_DEPS);
    const html = renderToStaticMarkup(<FigurePreview rendered={rendered} draft={specToDraft(rendered.spec)} />);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img src=x');
  });
});
