// Label values as small pills; the tint says how concerning the value is, the text says what it is.
const TONE: Record<string, 'calm' | 'mild' | 'strong' | 'good'> = {
  No: 'calm',
  Low: 'calm',
  Neutral: 'calm',
  Mild: 'mild',
  Medium: 'mild',
  Yes: 'strong',
  High: 'strong',
  Negative: 'strong',
  Unsafe: 'strong',
  Positive: 'good',
  Benign: 'good',
};

export function LabelPill({ value }: { value: string | null }) {
  if (value === null) return <span className="pill missing">—</span>;
  return <span className={`pill ${TONE[value] ?? 'odd'}`}>{value}</span>;
}
