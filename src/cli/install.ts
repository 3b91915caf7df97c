// What the page loads on demand, installed up front where nothing is downloaded: the document
// schema (scenario loadValidation) and the link codec (share loadCodec). The CLI, the scripts and
// the unit tests call it once before they read a document or a link.
import * as fflate from 'fflate';
import { installValidation, validateScenario } from '../scenario/index.ts';
import { installCodec } from '../share/index.ts';

export function installOnDemand(): void {
  installValidation(validateScenario);
  installCodec(fflate);
}
