// The Figures area's pure logic (src/renderer/src/areas/figures/figureForm.ts, previewModel.ts):
// the draft becomes a valid FigureSpec or says what to pick; a saved spec comes back as the same
// draft; the kinds' real option schemas (as figures.kinds sends them) become form fields; typed
// option values, DPI and JSON input are checked with messages that name the field, line and
// column; base64 exports decode byte for byte; the preview's props come from the kind's own
// parseInput and options schema, at the printed size in points.
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { MAX_DPI, MIN_DPI } from '../../../src/shared/contracts/figures';
import type { FigureRendered } from '../../../src/shared/contracts/figures';
import { figureKind, figureKinds } from '../../../src/shared/figures/kinds';
import { parseTDistInput } from '../../../src/shared/figures/kinds/t-dist';
import { FigureSpec, type FigureKind } from '../../../src/shared/figures/spec';
import {
  EMPTY_DRAFT,
  INPUT_EXAMPLES,
  adjustedPositions,
  base64ToBytes,
  draftToSpec,
  figureFileStem,
  humanize,
  inputExample,
  kindsForSource,
  optionFields,
  optionText,
  parseDpi,
  parseJsonText,
  parseOptionValue,
  pickKind,
  pixelSize,
  setOption,
  sideFileNames,
  specToDraft,
  type FigureDraft,
  type KindChoice,
  type OptionField,
} from '../../../src/renderer/src/areas/figures/figureForm';
import { previewModel, svgImageSource } from '../../../src/renderer/src/areas/figures/previewModel';

/** A kind's options JSON Schema exactly as figures.kinds builds it (src/main/core/figures/index.ts). */
function schemaOf(kind: FigureKind): unknown {
  const def = figureKind(kind);
  if (!def) throw new Error(`kind ${kind} is not registered`);
  return z.toJSONSchema(def.options, { io: 'input', unrepresentable: 'any' });
}

const field = (fields: OptionField[], key: string) => fields.find((f) => f.key === key);

describe('draft → spec', () => {
  const draft = (patch: Partial<FigureDraft>): FigureDraft => ({ ...EMPTY_DRAFT, kind: 'bars', ...patch });

  test('says what to pick until the draft names a figure', () => {
    expect(draftToSpec({ ...EMPTY_DRAFT })).toEqual({ ok: false, error: 'Pick a figure kind.' });
    expect(draftToSpec(draft({ sourceKind: 'evaluation' }))).toEqual({ ok: false, error: 'Pick an evaluation.' });
    expect(draftToSpec(draft({ sourceKind: 'dataset' }))).toEqual({ ok: false, error: 'Pick a dataset.' });
    expect(draftToSpec(draft({ sourceKind: 'input', inputText: '  ' }))).toMatchObject({ ok: false });
    expect(draftToSpec(draft({ sourceKind: 'input', inputText: '[1, 2]' }))).toMatchObject({
      ok: false,
      error: expect.stringContaining('JSON object'),
    });
  });

  test('an evaluation, a dataset split and inline input each give a spec FigureSpec accepts', () => {
    const e = draftToSpec(draft({ evaluation: 7, width: 'single', theme: 'dark', options: { values: false } }));
    expect(e).toEqual({
      ok: true,
      spec: {
        kind: 'bars',
        source: { kind: 'evaluation', evaluation: 7 },
        width: 'single',
        theme: 'dark',
        options: { values: false },
      },
    });
    const d = draftToSpec(
      draft({ kind: 'dataset', sourceKind: 'dataset', dataset: 'cmd-demo', split: 'test', caption: '  Labels.  ' }),
    );
    expect(d.ok && d.spec.source).toEqual({ kind: 'dataset', dataset: 'cmd-demo', split: 'test' });
    expect(d.ok && d.spec.caption).toBe('Labels.');
    const i = draftToSpec(draft({ kind: 't-dist', sourceKind: 'input', inputText: inputExample('t-dist') }));
    expect(i.ok && i.spec.source).toEqual({ kind: 'input', data: INPUT_EXAMPLES['t-dist'] });
    for (const r of [e, d, i]) expect(FigureSpec.safeParse(r.ok && r.spec).success).toBe(true);
    // No caption typed: the spec has none, so the kind writes it.
    expect(e.ok && 'caption' in e.spec).toBe(false);
  });

  test('a saved spec comes back as the draft that names it again (positions included)', () => {
    const specs = [
      {
        kind: 'trait-network',
        source: { kind: 'evaluation', evaluation: 3 },
        width: 'single',
        theme: 'slides',
        options: { topK: 4, positions: { calm: [0.2, 0.8] } },
        caption: 'Fig. 3',
      },
      {
        kind: 'dataset',
        source: { kind: 'dataset', dataset: 'cmd', split: 'train' },
        width: 'double',
        theme: 'paper',
        options: { chart: 'length' },
      },
      {
        kind: 't-dist',
        source: { kind: 'input', data: { values: [1, 2, 3], mu: 0, alpha: 0.05 } },
        width: 'double',
        theme: 'paper',
        options: {},
      },
    ] as const;
    for (const spec of specs) {
      const back = draftToSpec(specToDraft(FigureSpec.parse(spec)));
      expect(back).toEqual({ ok: true, spec: FigureSpec.parse(spec) });
    }
  });

  test('JSON errors name the line and column', () => {
    const r = parseJsonText('{\n  "mu": 0,\n  "alpha": 0.05,,\n}', 'The input');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/^The input, line 3, column 17: /);
    expect(parseJsonText('{"a": 1}', 'x')).toEqual({ ok: true, value: { a: 1 } });
  });
});

describe('input examples', () => {
  test('each example is what its kind’s own parseInput accepts', () => {
    const kinds = Object.keys(INPUT_EXAMPLES) as FigureKind[];
    expect(kinds.length).toBeGreaterThanOrEqual(3);
    for (const kind of kinds) {
      const def = figureKind(kind);
      expect(def?.parseInput, kind).toBeDefined();
      expect(() => def!.parseInput!(JSON.parse(inputExample(kind)) as Record<string, unknown>), kind).not.toThrow();
    }
    expect(inputExample(null)).toBe('{}');
  });
});

describe('kinds for a source', () => {
  const kinds: KindChoice[] = [
    { kind: 'bars', label: 'Bars', sources: ['evaluation', 'input'] },
    { kind: 'dataset', label: 'Dataset', sources: ['dataset'] },
    { kind: 't-dist', label: 't', sources: ['evaluation', 'input'] },
  ];
  test('only kinds that draw from the source; the current kind stays while it fits', () => {
    expect(kindsForSource(kinds, 'dataset').map((k) => k.kind)).toEqual(['dataset']);
    expect(pickKind('t-dist', kinds, 'input')).toBe('t-dist');
    expect(pickKind('t-dist', kinds, 'dataset')).toBe('dataset');
    expect(pickKind(null, kinds, 'evaluation')).toBe('bars');
    expect(pickKind('bars', [], 'evaluation')).toBeNull();
  });
});

describe('option fields from the kinds’ real option schemas', () => {
  test('trait network: bounds, choices, JSON for valence; dragged positions are not a field', () => {
    const fields = optionFields(schemaOf('trait-network'));
    expect(field(fields, 'topK')).toMatchObject({ type: 'number', integer: true, min: 2, default: 3, label: 'Top k' });
    expect(field(fields, 'weighting')).toMatchObject({ type: 'select', choices: ['count', 'pmi'], default: 'count' });
    expect(field(fields, 'minWeight')).toMatchObject({ type: 'number', integer: false });
    expect(field(fields, 'valence')).toMatchObject({ type: 'json' });
    expect(field(fields, 'positions')).toBeUndefined();
    // Every option the kind has is offered, in the schema's order.
    const keys = Object.keys(TraitNetworkKeys());
    expect(fields.map((f) => f.key)).toEqual(keys.filter((k) => k !== 'positions'));
  });

  test('t-dist and table: an optional choice without default, and a choice with one', () => {
    expect(field(optionFields(schemaOf('t-dist')), 'alternative')).toMatchObject({
      type: 'select',
      choices: ['two-sided', 'greater', 'less'],
      default: undefined,
    });
    expect(field(optionFields(schemaOf('table')), 'table')).toMatchObject({ type: 'select', default: 'table5' });
    expect(field(optionFields(schemaOf('bars')), 'reference')).toMatchObject({ type: 'boolean', default: true });
  });

  test('every registered kind’s options become fields without error', () => {
    for (const def of figureKinds()) expect(() => optionFields(schemaOf(def.kind)), def.kind).not.toThrow();
    expect(optionFields(undefined)).toEqual([]);
    expect(optionFields({ type: 'object' })).toEqual([]);
  });

  test('typed values are checked with the field’s bounds; empty leaves the default', () => {
    const fields = optionFields(schemaOf('trait-network'));
    const topK = field(fields, 'topK')!;
    expect(parseOptionValue(topK, '5')).toEqual({ ok: true, value: 5 });
    expect(parseOptionValue(topK, '')).toEqual({ ok: true, value: undefined });
    expect(parseOptionValue(topK, '1')).toEqual({ ok: false, error: 'Top k: at least 2' });
    expect(parseOptionValue(topK, '11')).toEqual({ ok: false, error: 'Top k: at most 10' });
    expect(parseOptionValue(topK, '2.5')).toEqual({ ok: false, error: 'Top k: a whole number' });
    expect(parseOptionValue(topK, 'abc')).toMatchObject({ ok: false });
    expect(parseOptionValue(field(fields, 'minWeight')!, '0.5')).toEqual({ ok: true, value: 0.5 });
    expect(parseOptionValue(field(fields, 'weighting')!, 'pmi')).toEqual({ ok: true, value: 'pmi' });
    expect(parseOptionValue(field(fields, 'weighting')!, 'tf-idf')).toMatchObject({ ok: false });
    const valence = field(fields, 'valence')!;
    expect(parseOptionValue(valence, '{"calm": 1}')).toEqual({ ok: true, value: { calm: 1 } });
    expect(parseOptionValue(valence, '{"calm": 1,,}')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^Valence, line 1, column 12: /),
    });
    // Where the parser names no position, its own message (quoting the text) is kept.
    expect(parseOptionValue(valence, '{"calm": }')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^Valence: /),
    });
    const bool = field(optionFields(schemaOf('bars')), 'values')!;
    expect(parseOptionValue(bool, false)).toEqual({ ok: true, value: false });
  });

  test('set and show: an unset option shows its default, a removed one goes from the options', () => {
    const topK = field(optionFields(schemaOf('trait-network')), 'topK')!;
    expect(optionText(topK, {})).toBe('3');
    const set = setOption({}, 'topK', 5);
    expect(optionText(topK, set)).toBe('5');
    expect(setOption(set, 'topK', undefined)).toEqual({});
    expect(humanize('minWeight')).toBe('Min weight');
  });
});

function TraitNetworkKeys(): Record<string, unknown> {
  return (schemaOf('trait-network') as { properties: Record<string, unknown> }).properties;
}

describe('exports', () => {
  test('base64 decodes byte for byte (all 256 values)', () => {
    const bytes = Buffer.from(Array.from({ length: 512 }, (_, i) => i % 256));
    expect(Buffer.from(base64ToBytes(bytes.toString('base64')))).toEqual(bytes);
    expect(base64ToBytes('').length).toBe(0);
  });

  test('DPI within the contract’s bounds; PNG pixels are inches × DPI', () => {
    expect(parseDpi('300')).toEqual({ ok: true, dpi: 300 });
    expect(parseDpi(String(MIN_DPI))).toEqual({ ok: true, dpi: MIN_DPI });
    expect(parseDpi(String(MAX_DPI + 1))).toMatchObject({ ok: false });
    expect(parseDpi(String(MIN_DPI - 1))).toMatchObject({ ok: false });
    expect(parseDpi('150.5')).toMatchObject({ ok: false });
    expect(parseDpi('')).toMatchObject({ ok: false });
    // Double column (7 in = 504 pt) at 300 dpi: 2100 px wide.
    expect(pixelSize(504, 216, 300)).toEqual({ width: 2100, height: 900 });
  });

  test('data and spec files are named after the figure; a stem from the spec has no odd characters', () => {
    expect(sideFileNames('t-dist-input-double.png')).toEqual({
      csv: 't-dist-input-double.csv',
      json: 't-dist-input-double.json',
      caption: 't-dist-input-double.caption.txt',
    });
    expect(
      figureFileStem({ kind: 'dataset', source: { kind: 'dataset', dataset: 'my data/../x' }, width: 'single' }),
    ).toBe('dataset-my-data-x-single');
  });

  test('positions a drag left in the options, malformed entries ignored', () => {
    expect(adjustedPositions({ positions: { a: [0.1, 0.2], b: [1], c: 'x' } })).toEqual({ a: [0.1, 0.2] });
    expect(adjustedPositions({})).toEqual({});
  });
});

describe('preview props', () => {
  const input = INPUT_EXAMPLES['t-dist'] as Record<string, unknown>;
  const rendered = (patch: Partial<FigureSpec>, extra: Record<string, unknown> = {}): FigureRendered => ({
    svg: '<svg/>',
    caption: 'c',
    width: 504,
    height: 200,
    rows: [],
    spec: FigureSpec.parse({ kind: 't-dist', source: { kind: 'input', data: input }, ...patch }),
    ...extra,
  });
  const def = figureKind('t-dist');
  const draft: FigureDraft = {
    ...EMPTY_DRAFT,
    kind: 't-dist',
    sourceKind: 'input',
    options: { alternative: 'greater' },
  };

  test('inline input: the kind’s own parseInput gives the data; the draft’s options apply; size in points', () => {
    const model = previewModel(def, draft, rendered({}))!;
    expect(model.data).toEqual(parseTDistInput(input));
    expect(model.options).toEqual({ alternative: 'greater' });
    expect(model.size.width).toBe(504);
    expect(model.size.height).toBe(Math.ceil(def!.height(model.data, model.options, 504, model.theme)));
    expect(previewModel(def, draft, rendered({ width: 'single', theme: 'dark' }))!.size.width).toBe(252);
    expect(previewModel(def, draft, rendered({ theme: 'dark' }))!.theme.name).toBe('dark');
  });

  test('options that do not parse fall back to the drawn ones', () => {
    const bad = { ...draft, options: { alternative: 'sideways' } };
    expect(previewModel(def, bad, rendered({ options: { alternative: 'less' } }))!.options).toEqual({
      alternative: 'less',
    });
  });

  test('an evaluation’s figure needs the data from the server; without it there is no component preview', () => {
    const fromEval = rendered({ source: { kind: 'evaluation', evaluation: 1 } });
    expect(previewModel(def, draft, fromEval)).toBeNull();
    const data = parseTDistInput(input);
    expect(previewModel(def, draft, { ...fromEval, data } as FigureRendered)!.data).toEqual(data);
    expect(previewModel(def, draft, null)).toBeNull();
    expect(previewModel(figureKind('bars'), draft, rendered({}))).toBeNull();
  });

  test('bad inline input gives no preview (the server’s message shows instead)', () => {
    expect(previewModel(def, draft, rendered({ source: { kind: 'input', data: { mu: 0 } } }))).toBeNull();
  });

  test('the server SVG as an image source keeps every character (escaped, never markup)', () => {
    const svg = '<svg><text>a < b & "c" #1</text></svg>';
    const src = svgImageSource(svg);
    expect(src.startsWith('data:image/svg+xml;charset=utf-8,')).toBe(true);
    expect(decodeURIComponent(src.slice(src.indexOf(',') + 1))).toBe(svg);
    expect(src).not.toMatch(/[<>"#]/);
  });
});
