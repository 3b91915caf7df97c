// The page's store hook (`window.__sva`) as the browser benchmarks drive it: one definition for
// scripts/bench/ui.ts and scripts/bench/profile.ts, so a change to the store's API is one edit.
export type PageHook = {
  __sva: {
    store: {
      getState(): {
        setDoc(doc: unknown, o: unknown): string | null;
        setCursor(op: number, step?: number): void;
        timeline: { length: number };
      };
    };
  };
};
