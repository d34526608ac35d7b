// The submit of the New session and New round forms: check the typed form here first (errors
// beside their fields, nothing sent), then create; the new one is listed, selected and its
// invitation links shown once. A refusal shows the server's words in the banner and its
// per-field issues beside their fields, and the form stays for another try.
import { useState } from 'react';
import { errorIssues, errorMessage } from '../../api';
import type { Invite } from '../../../../shared/contracts/humaneval';
import { issuesToFieldErrors, type FieldErrors } from './forms';
import { reloadList, selectIn, usePeopleStore, type PeopleSection } from './people';

/** What a create answers, for the list and the links panel. */
export interface Created {
  id: number;
  title: string;
  invites: Invite[];
}

export function useCreateForm<R>(
  section: PeopleSection,
  fields: readonly string[],
  check: () => { request: R | null; errors: FieldErrors },
  create: (request: R) => Promise<Created>,
) {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const { request, errors: found } = check();
    setErrors(found);
    setError(null);
    if (!request) return;
    setBusy(true);
    try {
      const { id, title, invites } = await create(request);
      await reloadList(section);
      selectIn(section, id);
      usePeopleStore.getState().showInvites({ section, id, title, invites });
    } catch (err) {
      setErrors(issuesToFieldErrors(errorIssues(err), fields));
      setError(errorMessage(err));
      setBusy(false);
    }
  };
  return { errors, error, busy, submit };
}
