// Imported first by main.tsx, before any module that may parse with zod: the page runs under a
// Content-Security-Policy without 'unsafe-eval' (scripts/csp.ts), and zod's JIT probes for
// `new Function` on first use — the probe is caught, but the browser still reports it as a
// policy violation. Jitless zod never calls it (zod v4 core/util.ts allowsEval).
import { config } from 'zod';

config({ jitless: true });
