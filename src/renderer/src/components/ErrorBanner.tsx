/** The server's message as it came, with per-field issues when there are any. */
export function ErrorBanner({
  message,
  issues = [],
  onRetry,
  onDismiss,
}: {
  message: string | null;
  issues?: { path: string; message: string }[];
  onRetry?: () => void;
  onDismiss?: () => void;
}) {
  if (!message) return null;
  return (
    <div className="banner error" role="alert">
      <div className="banner-body">
        <strong>Error:</strong> {message}
        {issues.length > 0 && (
          <ul className="issues">
            {issues.map((i) => (
              <li key={`${i.path}:${i.message}`}>
                <code>{i.path}</code> {i.message}
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="banner-actions">
        {onRetry && (
          <button type="button" className="btn small" onClick={onRetry}>
            Retry
          </button>
        )}
        {onDismiss && (
          <button type="button" className="btn small ghost" onClick={onDismiss} aria-label="Dismiss error">
            ✕
          </button>
        )}
      </div>
    </div>
  );
}
