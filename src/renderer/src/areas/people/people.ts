// The People area's state: which section is shown (human evaluation or annotation rounds), the
// session and round lists, the selection, the New form, the invitation links just made (shown
// once, never stored) and a version per section that server events bump, so open details reload.
import { create } from 'zustand';
import { errorMessage } from '../../api';
import { humaneval, type HumanEvalSession, type Invite } from '../../../../shared/contracts/humaneval';
import { rounds, type RoundInfo } from '../../../../shared/contracts/rounds';
import { readSelectedId, readSelection, writeSelection } from '../../lib/rememberedSelection';
import { callContract } from './lab';

export type PeopleSection = 'humaneval' | 'rounds';
export type PeopleMode = 'view' | 'new';

/** Links made by a create or a "New link": their tokens exist only here, until dismissed. */
export interface ShownInvites {
  section: PeopleSection;
  id: number;
  title: string;
  invites: Invite[];
}

interface ListState<T> {
  items: T[];
  loaded: boolean;
  loading: boolean;
  error: string | null;
}

const EMPTY_LIST = { items: [], loaded: false, loading: false, error: null };
const SECTION_KEY = 'srlab.people.section';
const SESSION_KEY = 'srlab.people.session';
const ROUND_KEY = 'srlab.people.round';

interface PeopleState {
  section: PeopleSection;
  mode: PeopleMode;
  sessions: ListState<HumanEvalSession>;
  rounds: ListState<RoundInfo>;
  selectedSession: number | null;
  selectedRound: number | null;
  invites: ShownInvites | null;
  /** Bumped by events (and after actions): the open session's or round's views reload. */
  sessionsVersion: number;
  roundsVersion: number;
  setSection(section: PeopleSection): void;
  setMode(mode: PeopleMode): void;
  loadSessions(): Promise<void>;
  loadRounds(): Promise<void>;
  selectSession(id: number | null): void;
  selectRound(id: number | null): void;
  showInvites(invites: ShownInvites): void;
  dismissInvites(): void;
  /** A server event or our own change: the lists and the open details follow, at most every so often. */
  changed(section: PeopleSection): void;
}

function readSection(): PeopleSection {
  return readSelection(SECTION_KEY) === 'rounds' ? 'rounds' : 'humaneval';
}

export const usePeopleStore = create<PeopleState>()((set, get) => ({
  section: readSection(),
  mode: 'view',
  sessions: EMPTY_LIST,
  rounds: EMPTY_LIST,
  selectedSession: readSelectedId(SESSION_KEY),
  selectedRound: readSelectedId(ROUND_KEY),
  invites: null,
  sessionsVersion: 0,
  roundsVersion: 0,
  setSection(section) {
    writeSelection(SECTION_KEY, section);
    set({ section, mode: 'view' });
  },
  setMode: (mode) => set({ mode }),
  async loadSessions() {
    set((s) => ({ sessions: { ...s.sessions, loading: true, error: null } }));
    try {
      const { sessions } = await callContract(humaneval.list, {});
      set({ sessions: { items: sessions, loaded: true, loading: false, error: null } });
      if (!sessions.some((x) => x.id === get().selectedSession)) get().selectSession(sessions[0]?.id ?? null);
    } catch (err) {
      set((s) => ({ sessions: { ...s.sessions, loaded: true, loading: false, error: errorMessage(err) } }));
    }
  },
  async loadRounds() {
    set((s) => ({ rounds: { ...s.rounds, loading: true, error: null } }));
    try {
      const { rounds: list } = await callContract(rounds.list, {});
      set({ rounds: { items: list, loaded: true, loading: false, error: null } });
      if (!list.some((x) => x.id === get().selectedRound)) get().selectRound(list[0]?.id ?? null);
    } catch (err) {
      set((s) => ({ rounds: { ...s.rounds, loaded: true, loading: false, error: errorMessage(err) } }));
    }
  },
  selectSession(id) {
    writeSelection(SESSION_KEY, id);
    set({ selectedSession: id, mode: 'view' });
  },
  selectRound(id) {
    writeSelection(ROUND_KEY, id);
    set({ selectedRound: id, mode: 'view' });
  },
  showInvites: (invites) => set({ invites }),
  dismissInvites: () => set({ invites: null }),
  changed(section) {
    const pending = timers[section];
    if (pending) return;
    // Evaluators save on every keypress: one refresh per burst, not one per keypress.
    timers[section] = setTimeout(() => {
      timers[section] = null;
      if (section === 'humaneval') {
        set((s) => ({ sessionsVersion: s.sessionsVersion + 1 }));
        void get().loadSessions();
      } else {
        set((s) => ({ roundsVersion: s.roundsVersion + 1 }));
        void get().loadRounds();
      }
    }, REFRESH_DELAY_MS);
  },
}));

/** Selects a session or a round (null: none) by section, for code that serves both. */
export function selectIn(section: PeopleSection, id: number | null): void {
  const store = usePeopleStore.getState();
  if (section === 'rounds') store.selectRound(id);
  else store.selectSession(id);
}

/** Reloads a section's list (a selection no longer in it moves to the first one). */
export function reloadList(section: PeopleSection): Promise<void> {
  const store = usePeopleStore.getState();
  return section === 'rounds' ? store.loadRounds() : store.loadSessions();
}

const REFRESH_DELAY_MS = 800;
const timers: Record<PeopleSection, ReturnType<typeof setTimeout> | null> = { humaneval: null, rounds: null };

export const selectSection = (s: PeopleState) => s.section;
export const selectMode = (s: PeopleState) => s.mode;
export const selectSessions = (s: PeopleState) => s.sessions;
export const selectRounds = (s: PeopleState) => s.rounds;
export const selectSelectedSession = (s: PeopleState) =>
  s.sessions.items.find((x) => x.id === s.selectedSession) ?? null;
export const selectSelectedRound = (s: PeopleState) => s.rounds.items.find((x) => x.id === s.selectedRound) ?? null;
export const selectInvites = (s: PeopleState) => s.invites;
export const selectSessionsVersion = (s: PeopleState) => s.sessionsVersion;
export const selectRoundsVersion = (s: PeopleState) => s.roundsVersion;
