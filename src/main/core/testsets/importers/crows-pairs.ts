// CrowS-Pairs (Nangia et al., 2020): crows_pairs_anonymized.csv, one minimal pair per row with
// sent_more, sent_less, stereo_antistereo and bias_type (and the row's source number in the
// unnamed first column, kept as fields.sourceId so a score can be traced back).
import { cell, csvWithColumns, readText, singleFile } from './files';
import type { Importer, ParsedItem } from './types';

const DIRECTIONS = ['stereo', 'antistereo'] as const;

export const crowsPairsImporter: Importer = {
  kind: 'crows-pairs',
  options: [],
  read(source, _options, problems) {
    const { file, shown } = singleFile(source.path, source.shownName, '.csv', 'CrowS-Pairs .csv');
    const { header, col, rows } = csvWithColumns(readText(file, shown), shown, [
      'sent_more',
      'sent_less',
      'stereo_antistereo',
      'bias_type',
    ]);
    const idCol = header[0] === '' ? 0 : -1;
    const items: ParsedItem[] = [];
    for (const row of rows) {
      if (row.error) {
        problems.reject(shown, row.line, null, row.error);
        continue;
      }
      if (row.fields.length !== header.length) {
        problems.reject(shown, row.line, null, `has ${row.fields.length} fields, the header has ${header.length}`);
        continue;
      }
      const sentMore = cell(row, col.sent_more);
      const sentLess = cell(row, col.sent_less);
      const direction = cell(row, col.stereo_antistereo);
      const biasType = cell(row, col.bias_type);
      if (!sentMore) problems.reject(shown, row.line, 'sent_more', 'empty');
      else if (!sentLess) problems.reject(shown, row.line, 'sent_less', 'empty');
      else if (!DIRECTIONS.includes(direction as (typeof DIRECTIONS)[number]))
        problems.reject(
          shown,
          row.line,
          'stereo_antistereo',
          `must be "stereo" or "antistereo", not ${JSON.stringify(direction ?? '')}`,
        );
      else if (!biasType) problems.reject(shown, row.line, 'bias_type', 'empty');
      else
        items.push({
          group: biasType,
          subgroup: direction,
          text: sentMore,
          fields: {
            sentMore,
            sentLess,
            direction,
            biasType,
            sourceId: idCol === 0 ? cell(row, 0) : null,
            line: row.line,
          },
        });
    }
    return { items, options: {}, sourceFile: shown };
  },
};
