import { useState } from 'react';
import { normaliseWords, parseWords } from './recordEdit';

/** Words as removable chips; type and press Enter or comma to add. */
export function WordsEditor({
  words,
  onChange,
  labelledBy,
}: {
  words: string[];
  onChange: (w: string[]) => void;
  labelledBy: string;
}) {
  const [text, setText] = useState('');
  const commit = () => {
    if (!text.trim()) return;
    onChange(normaliseWords([...words, ...parseWords(text)]));
    setText('');
  };
  return (
    <div className="words-editor" role="group" aria-labelledby={labelledBy}>
      {words.map((w) => (
        <span key={w} className="word-chip">
          {w}
          <button type="button" aria-label={`Remove “${w}”`} onClick={() => onChange(words.filter((x) => x !== w))}>
            ×
          </button>
        </span>
      ))}
      <input
        className="words-input"
        value={text}
        placeholder={words.length ? 'add…' : 'type a word, Enter to add'}
        aria-label="Add a biased word"
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ',') {
            e.preventDefault();
            commit();
          } else if (e.key === 'Backspace' && !text && words.length) {
            onChange(words.slice(0, -1));
          }
        }}
      />
    </div>
  );
}
