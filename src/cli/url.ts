// `sva url FILE|-` prints the share fragment for a scenario; `sva url --decode URL` prints the
// scenario a link holds, as JSON. Pure: main.ts does the reading and writing. The CLI prints only
// links the page would open (shareLink applies the page's limits) and decodes exactly as the page.
import { parseScenario } from '../scenario/index.ts';
import { decodeLink, exportJson, shareLink } from '../share/index.ts';
import type { CliOutput } from './decode.ts';

export function urlCommand(input: string, decode: boolean): CliOutput {
  if (decode) {
    const d = decodeLink(input.trim());
    if (!d.ok) return { code: 1, stdout: '', stderr: `url: ${d.error}\n` };
    return { code: 0, stdout: exportJson(d.doc), stderr: '' };
  }
  const p = parseScenario(input);
  if (!p.ok) return { code: 1, stdout: '', stderr: `url: ${p.error}\n` };
  const s = shareLink(p.doc);
  if (!s.ok) return { code: 1, stdout: '', stderr: `url: no link: ${s.error}\n` };
  return { code: 0, stdout: `${s.link}\n`, stderr: '' };
}
