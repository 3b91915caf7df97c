import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { emptyScenario } from './scenario/index.ts';
import { App } from './ui/App.tsx';

// `?empty` starts from a scenario with no ops (build one op by op); otherwise the seed story.
const initial = new URLSearchParams(location.search).has('empty') ? emptyScenario() : undefined;

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App {...(initial ? { initial } : {})} />
    </StrictMode>,
  );
}
