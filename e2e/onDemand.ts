// Specs compute what the page should show with the page's own code, in Node: what the page loads
// on demand (the document schema, the link codec) is installed here first, as the CLI does.
import { installOnDemand } from '../src/cli/install.ts';

installOnDemand();
