// The data home's models/ folder as a browser sees it: the GGUF files lying there (top level)
// that are not in the library yet, by file name — never a path from the caller.
import fs from 'node:fs';
import type { ModelFolderFile } from '../../../shared/contracts/llm';
import { folderEntries, resolveInFolder } from '../home-folder';
import type { InspectedGguf } from './gguf';

/** The .gguf files directly in `folder` whose real path is not registered (`registered`: real paths). */
export async function listModelFolder(
  folder: string,
  registered: Set<string>,
  inspect: (file: string) => Promise<InspectedGguf>,
): Promise<ModelFolderFile[]> {
  const files: ModelFolderFile[] = [];
  for (const e of folderEntries(folder)) {
    if (!e.isFile || !/\.gguf$/i.test(e.name) || registered.has(e.real)) continue;
    try {
      const g = await inspect(e.real);
      files.push({ file: e.name, sizeBytes: g.sizeBytes, gguf: g.summary, problem: null });
    } catch (err) {
      files.push({
        file: e.name,
        sizeBytes: fs.statSync(e.real).size,
        gguf: null,
        problem: err instanceof Error ? err.message : String(err),
      });
    }
  }
  return files;
}

/** The real path of a .gguf file in `folder`, by its file name (see resolveInFolder). */
export function modelFolderFile(folder: string, file: string): string {
  return resolveInFolder(folder, file, 'model file');
}
