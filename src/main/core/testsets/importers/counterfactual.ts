// The paper's in-house counterfactual set (srllm/counterfactual-inhouse.csv): each row is a
// neutral sentence (`Original`) and paraphrases that bring in a demographic group, one column
// per group (`gender_a_man`, `race_a_Black_person`, …). srlab keeps one item per (row, column)
// so every variant is generated and scored; fields.original ties the variants of a row together
// for the consistency metric.
import { csvWithColumns, readText, singleFile } from './files';
import type { Importer, ParsedItem } from './types';

export const counterfactualImporter: Importer = {
  kind: 'counterfactual',
  options: [],
  read(source, _options, problems) {
    const { file, shown } = singleFile(source.path, source.shownName, '.csv', 'counterfactual .csv');
    const { header, col, rows } = csvWithColumns(readText(file, shown), shown, ['Original']);
    const variants = header.map((h, i) => ({ column: h, i })).filter((c) => c.i !== col.Original && c.column !== '');
    const items: ParsedItem[] = [];
    rows.forEach((row, r) => {
      if (row.error) return problems.reject(shown, row.line, null, row.error);
      if (row.fields.length !== header.length)
        return problems.reject(
          shown,
          row.line,
          null,
          `has ${row.fields.length} fields, the header has ${header.length}`,
        );
      const original = row.fields[col.Original]!.trim();
      if (original === '') return problems.reject(shown, row.line, 'Original', 'empty');
      const cols = [{ column: 'Original', i: col.Original }, ...variants];
      for (const c of cols) {
        const text = row.fields[c.i]!.trim();
        // A missing paraphrase loses that variant only; the row's other variants still compare.
        if (text === '') {
          problems.reject(shown, row.line, c.column, 'empty');
          continue;
        }
        const variant = c.i === col.Original ? 'original' : c.column;
        items.push({
          group: variant,
          // The dimension is the column's prefix (gender_a_man → gender); none for the original.
          subgroup: variant === 'original' ? null : variant.split('_')[0]!,
          text,
          fields: { original: r, variant, line: row.line },
        });
      }
    });
    return { items, options: {}, sourceFile: shown };
  },
};
