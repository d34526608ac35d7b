// OpenAI-compatible endpoints: list, save (the key goes to the keychain, never back), test, remove.
import { create } from 'zustand';
import { api, errorIssues, errorMessage } from '../../api';
import type { Input } from '../../../../shared/api';
import type { Endpoint, KeychainStatus } from '../../../../shared/contracts/runs';

export interface EndpointTest {
  running: boolean;
  ok: boolean | null;
  message: string;
  latencyMs: number | null;
}

interface EndpointsState {
  endpoints: Endpoint[];
  keychain: KeychainStatus | null;
  loaded: boolean;
  loading: boolean;
  error: string | null;
  tests: Record<string, EndpointTest>;
  load(): Promise<void>;
  /** Resolves with the saved endpoint; throws the server's error (with issues) for the form to show. */
  save(input: Input<'endpoints.save'>): Promise<Endpoint>;
  remove(name: string): Promise<void>;
  test(name: string): Promise<void>;
}

export const useEndpointsStore = create<EndpointsState>()((set, get) => ({
  endpoints: [],
  keychain: null,
  loaded: false,
  loading: false,
  error: null,
  tests: {},
  async load() {
    set({ loading: true, error: null });
    try {
      const { endpoints, keychain } = await api.call('endpoints.list', {});
      set({ endpoints, keychain, loaded: true, loading: false });
    } catch (err) {
      set({ loading: false, loaded: true, error: errorMessage(err) });
    }
  },
  async save(input) {
    const { endpoint } = await api.call('endpoints.save', input);
    await get().load();
    return endpoint;
  },
  async remove(name) {
    await api.call('endpoints.remove', { name });
    set((s) => {
      const tests = { ...s.tests };
      delete tests[name];
      return { tests };
    });
    await get().load();
  },
  async test(name) {
    set((s) => ({ tests: { ...s.tests, [name]: { running: true, ok: null, message: 'Testing…', latencyMs: null } } }));
    try {
      const r = await api.call('endpoints.test', { name });
      set((s) => ({
        tests: { ...s.tests, [name]: { running: false, ok: r.ok, message: r.message, latencyMs: r.latencyMs } },
      }));
    } catch (err) {
      set((s) => ({
        tests: { ...s.tests, [name]: { running: false, ok: false, message: errorMessage(err), latencyMs: null } },
      }));
    }
  },
}));

export { errorIssues };
export const selectEndpoints = (s: EndpointsState) => s.endpoints;
export const selectKeychain = (s: EndpointsState) => s.keychain;
export const selectEndpointTests = (s: EndpointsState) => s.tests;
