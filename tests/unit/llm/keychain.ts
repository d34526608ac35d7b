// Test stand-ins for the OS keychain, and a look at every byte srlab keeps on disk for a home.
import fs from 'node:fs';
import type { Core } from '../../../src/main/core';
import type { SafeStorageLike } from '../../../src/main/core/llm/secrets';

/** Stands in for Electron's safeStorage (an OS-keychain-backed cipher) outside Electron. */
export function keychainCipher(): SafeStorageLike {
  const mask = (b: Buffer) => Buffer.from(b.map((x, i) => x ^ ((0x5a + i) % 256)));
  return {
    isEncryptionAvailable: () => true,
    encryptString: (s) => Buffer.concat([Buffer.from('v10'), mask(Buffer.from(s, 'utf8'))]),
    decryptString: (b) => mask(b.subarray(3)).toString('utf8'),
  };
}

/** Every byte srlab keeps on disk for this home: the database and its WAL. */
export function homeBytes(c: Core): string {
  c.db.pragma('wal_checkpoint(TRUNCATE)');
  return fs
    .readdirSync(c.paths.home)
    .filter((f) => f.startsWith('srlab.sqlite'))
    .map((f) => fs.readFileSync(`${c.paths.home}/${f}`).toString('latin1'))
    .join('');
}
