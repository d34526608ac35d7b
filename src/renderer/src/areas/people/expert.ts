// The adjudicating expert's name, remembered on this machine (localStorage) so it is typed once:
// it goes with every adjudication and with the label edits written back to the dataset.
const KEY = 'srlab.expertName';

export function readExpertName(): string {
  try {
    return localStorage.getItem(KEY) ?? '';
  } catch {
    return '';
  }
}

export function rememberExpertName(name: string): void {
  try {
    if (name.trim()) localStorage.setItem(KEY, name.trim());
  } catch {
    // Storage unavailable: typed again next time.
  }
}
