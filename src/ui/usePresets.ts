// The examples (every golden scenario) for a component: none until their chunk has arrived, then
// all of them. loadPresets fetches the chunk once; every caller shares it.
import { useEffect, useState } from 'react';
import { loadPresets, type Preset } from '../scenario/index.ts';

export function usePresets(): readonly Preset[] {
  const [presets, setPresets] = useState<readonly Preset[]>([]);
  useEffect(() => {
    let live = true;
    void loadPresets().then((p) => live && setPresets(p));
    return () => {
      live = false;
    };
  }, []);
  return presets;
}
