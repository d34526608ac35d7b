// A done-message banner (the green counterpart of ErrorBanner): what just happened, any buttons
// that follow from it, and ✕ to dismiss it.
import type { ReactNode } from 'react';

export function OkBanner({
  children,
  actions,
  onDismiss,
}: {
  children: ReactNode;
  actions?: ReactNode;
  onDismiss: () => void;
}) {
  return (
    <div className="banner ok" role="status">
      <div className="banner-body">{children}</div>
      <div className="banner-actions">
        {actions}
        <button type="button" className="btn small ghost" onClick={onDismiss} aria-label="Dismiss message">
          ✕
        </button>
      </div>
    </div>
  );
}
