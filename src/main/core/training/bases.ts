// Base models for training chosen by name from the data home's bases/ folder (`bases:NAME`):
// how a browser, which may not name server paths, trains on a local base. The desktop app and
// the CLI may still give any folder.
import fs from 'node:fs';
import path from 'node:path';
import { ApiError, type Caller } from '../../../shared/contract';
import { baseFolderName } from '../../../shared/contracts/training';
import { folderEntries, resolveInFolder } from '../home-folder';

/** The folders in `folder` (one level), with whether each holds a config.json. */
export function listBases(folder: string): { folder: string; bases: { name: string; hasConfig: boolean }[] } {
  return {
    folder,
    bases: folderEntries(folder)
      .filter((e) => e.isDir)
      .map((e) => ({ name: e.name, hasConfig: fs.existsSync(path.join(e.real, 'config.json')) })),
  };
}

/**
 * `input` with a `bases:NAME` base resolved to its folder inside `folder`. A Hugging Face id from
 * a caller that is not local must not also name a folder relative to the server's working
 * directory (training would take it as that folder): such a call is refused.
 */
export function resolveNamedBase<T extends { base: string }>(input: T, caller: Caller, folder: string): T {
  const name = baseFolderName(input.base);
  if (name !== null) return { ...input, base: resolveInFolder(folder, name, 'base folder') };
  if (caller.scope !== 'local' && fs.existsSync(input.base))
    throw new ApiError(
      'forbidden',
      `base "${input.base}" also names a folder where the srlab server runs, which is a server path; to train on a local base, put it in ${folder} and choose it as bases:NAME`,
      [{ path: 'base', message: 'names a server folder' }],
    );
  return input;
}
