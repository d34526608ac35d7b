// The invitation links just made (by a new session or round, or "New link"): each person's full
// URL with a Copy button. The tokens exist only in this panel — the server keeps a fingerprint —
// so the panel says so and stays until the researcher dismisses it. Off serve mode (the desktop
// app has no http origin) the links are for `srlab serve`, and the offline file is offered.
import { formatDateTime } from '../../lib/format';
import { currentOrigin, inviteUrl } from './links';
import { usePeopleStore, type ShownInvites } from './people';
import { CopyButton } from './ui';

export function InvitesPanel({ shown }: { shown: ShownInvites }) {
  const origin = currentOrigin();
  const who = shown.section === 'humaneval' ? 'evaluator' : 'annotator';
  const rows = shown.invites.map((i) => ({ ...i, url: inviteUrl(i.path, origin) }));
  const all = rows.map((r) => `${r.evaluator}\t${r.url}`).join('\n');
  return (
    <section className="card invites-panel" aria-labelledby="invites-heading" data-testid="invites-panel">
      <div className="row gap invites-head">
        <h2 id="invites-heading">Invitation links</h2>
        <span className="spacer" />
        {rows.length > 1 && <CopyButton text={all} label="Copy all" name="Copy all links" />}
        <button type="button" className="btn small primary" onClick={() => usePeopleStore.getState().dismissInvites()}>
          Done
        </button>
      </div>
      <div className="banner info invites-once" role="note">
        <div className="banner-body">
          <strong>Shown only once.</strong> Copy each link now and send it to its {who} only: srlab keeps a fingerprint
          of each link, not the link itself. A lost link cannot be shown again — make a new one (the old one can be
          revoked).
          {!origin && (
            <p className="small">
              These links are for serve mode: run <code>srlab serve</code> on this data home and put each path after the
              address it prints.
              {shown.section === 'humaneval'
                ? ' Without a server, hand an evaluator a session file instead (Export session file), or let them score in this window (Score here).'
                : ' Without a server, let an annotator work in this window (Annotate here).'}
            </p>
          )}
        </div>
      </div>
      <ul className="invite-list">
        {rows.map((r) => (
          <li key={r.info.id} data-testid="invite-row">
            <span className="invite-name">{r.evaluator}</span>
            <input
              className="input mono invite-url"
              readOnly
              value={r.url}
              aria-label={`Link for ${r.evaluator}`}
              onFocus={(e) => e.currentTarget.select()}
            />
            <CopyButton text={r.url} name={`Copy link for ${r.evaluator}`} />
            <span className="muted small">
              {r.info.expiresAt ? `expires ${formatDateTime(r.info.expiresAt)}` : 'no expiry'}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
