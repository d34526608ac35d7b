// Who is running a long job (a generation run, an evaluation): `pid@host`, written with a
// heartbeat, so another srlab process can tell a live owner from one a crash left behind.
import os from 'node:os';

/** This process, as an owner. */
export const OWNER = `${process.pid}@${os.hostname()}`;

/** An owner on another host that has not reported for this long is considered gone. */
export const STALE_MS = 60_000;

/** On this host: the process exists; elsewhere: its heartbeat is recent. */
export function ownerAlive(owner: string | null, heartbeatAt: string | null, now: Date): boolean {
  if (!owner) return false;
  const [pid, host] = owner.split('@');
  if (host === os.hostname()) {
    if (Number(pid) === process.pid) return true;
    try {
      process.kill(Number(pid), 0);
      return true;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EPERM';
    }
  }
  return heartbeatAt !== null && now.getTime() - Date.parse(heartbeatAt) < STALE_MS;
}
