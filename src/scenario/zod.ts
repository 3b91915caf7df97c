// Every zod import of the scenario layer goes through here, so zod is configured before any
// schema exists, whatever order the bundler evaluates chunks in. The page runs under a
// Content-Security-Policy without 'unsafe-eval' (scripts/csp.ts); zod's JIT probes for
// `new Function` on first parse — caught, but the browser still reports a violation. Jitless zod
// never probes (zod v4 core/util.ts allowsEval). Parsing stays as fast as tests measure it.
import { config, z } from 'zod';

config({ jitless: true });

export { z };
