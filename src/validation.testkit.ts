// Unit tests check documents as the CLI does: the document schema installed before any test runs
// (the page loads it on demand instead: scenario/parse.ts loadValidation).
import { installValidation, validateScenario } from './scenario/index.ts';

installValidation(validateScenario);
