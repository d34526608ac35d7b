import { selectAcknowledge, selectAcknowledged, useContentWarningStore } from '../../stores/contentWarning';

/** Shown above the records until the user chooses to see the texts. */
export function ContentWarningBanner() {
  const acknowledged = useContentWarningStore(selectAcknowledged);
  const acknowledge = useContentWarningStore(selectAcknowledge);
  if (acknowledged) return null;
  return (
    <div className="banner content-warning" role="region" aria-label="Content warning">
      <div className="banner-body">
        <strong>Content warning.</strong> This data was collected for safety research and contains offensive, hateful
        and stereotyping text about real groups of people. Texts stay hidden until you choose to show them; labels
        remain visible.
      </div>
      <button type="button" className="btn warn" onClick={acknowledge}>
        Show text
      </button>
    </div>
  );
}

/** In place of a text while the warning is not acknowledged: nothing of the text is in the page. */
export function HiddenText({ long = false }: { long?: boolean }) {
  return <span className={long ? 'redacted long' : 'redacted'} role="img" aria-label="Text hidden (content warning)" />;
}

/** The panel's variant: a warning with its own acknowledgement button. */
export function HiddenTextNotice() {
  const acknowledge = useContentWarningStore(selectAcknowledge);
  return (
    <div className="hidden-notice">
      <p>Text hidden: this dataset contains offensive, hateful or stereotyping text.</p>
      <button type="button" className="btn warn small" onClick={acknowledge}>
        Show text
      </button>
    </div>
  );
}
