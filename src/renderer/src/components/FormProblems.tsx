// The foot of a form: what is wrong with it before it is sent (the form module's problems, one
// per line) and, once sent, the server's error with its per-field issues.
import { ErrorBanner } from './ErrorBanner';

export function FormProblems({
  problems,
  error,
  issues,
}: {
  problems: string[];
  error: string | null;
  issues?: { path: string; message: string }[];
}) {
  return (
    <>
      {problems.length > 0 && (
        <ul className="problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <ErrorBanner message={error} issues={issues} />
    </>
  );
}
