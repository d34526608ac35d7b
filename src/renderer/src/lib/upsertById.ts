// Live lists (runs, evaluations) take each summary an event brings: replaced in place when it is
// newer than the one held (events can arrive out of order), added otherwise, newest id first.

/** The list with `item` put in; the same array when `isNewer` says the held one wins. */
export function upsertById<T extends { id: number }>(
  list: T[],
  item: T,
  isNewer: (current: T | undefined, incoming: T) => boolean,
): T[] {
  const i = list.findIndex((x) => x.id === item.id);
  if (i >= 0) {
    if (!isNewer(list[i], item)) return list;
    const next = list.slice();
    next[i] = item;
    return next;
  }
  return [...list, item].sort((a, b) => b.id - a.id);
}
