import { useEffect, useMemo } from 'react';
import { filterToQuery } from './filterQuery';
import { selectFilter, useFiltersStore } from './filters';
import { useRecordsStore } from './records';
import { ContentWarningBanner } from './ContentWarning';
import { FilterBar } from './FilterBar';
import { RecordsTable } from './RecordsTable';

export function RecordsView({ dataset }: { dataset: string }) {
  const filter = useFiltersStore(selectFilter);
  const query = useMemo(() => filterToQuery(filter), [filter]);
  useEffect(() => {
    useRecordsStore.getState().setQuery(dataset, query);
  }, [dataset, query]);
  return (
    <div className="records-view">
      <FilterBar />
      <ContentWarningBanner />
      <RecordsTable />
    </div>
  );
}
