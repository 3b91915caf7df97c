// Unit tests read documents and links as the CLI does: the document schema and the link codec
// installed before any test runs (the page loads them on demand: install.ts says which).
import { installOnDemand } from './install.ts';

installOnDemand();
