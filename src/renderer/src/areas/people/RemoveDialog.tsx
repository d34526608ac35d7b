// "Remove …?" for the selected session or round: after the caller's `remove` the selection is
// cleared and the section's list reloaded (it then selects the first one left).
import type { ReactNode } from 'react';
import { ConfirmRemoveDialog } from '../../components/ConfirmRemoveDialog';
import { reloadList, selectIn, type PeopleSection } from './people';

export function RemoveSelectedDialog({
  section,
  title,
  remove,
  onClose,
  children,
}: {
  section: PeopleSection;
  title: string;
  remove: () => Promise<unknown>;
  onClose: () => void;
  children: ReactNode;
}) {
  const what = section === 'rounds' ? 'round' : 'session';
  return (
    <ConfirmRemoveDialog
      title={`Remove “${title}”?`}
      removeLabel={`Remove ${what}`}
      onClose={onClose}
      remove={async () => {
        await remove();
        selectIn(section, null);
        await reloadList(section);
      }}
    >
      {children}
    </ConfirmRemoveDialog>
  );
}
