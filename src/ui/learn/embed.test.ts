import { describe, expect, it } from 'vitest';
import { embedCode, fullPageUrl, isEmbed } from './embed.ts';

describe('embed URLs', () => {
  it('recognises ?embed=1 only', () => {
    expect(isEmbed('?embed=1')).toBe(true);
    expect(isEmbed('?a=2&embed=1')).toBe(true);
    expect(isEmbed('?embed=0')).toBe(false);
    expect(isEmbed('')).toBe(false);
  });

  it('opens the full page on the same fragment without embed', () => {
    const loc = {
      origin: 'https://x.org',
      pathname: '/app/',
      search: '?embed=1&bench',
      hash: '#s=1.abc',
    };
    expect(fullPageUrl(loc)).toBe('https://x.org/app/?bench=#s=1.abc');
    expect(fullPageUrl({ ...loc, search: '?embed=1' })).toBe('https://x.org/app/#s=1.abc');
  });

  it('writes an iframe with the URL and title escaped', () => {
    expect(embedCode('https://x.org/#s=1.a', 'a "b" <c> & d')).toBe(
      '<iframe src="https://x.org/?embed=1#s=1.a" title="a &quot;b&quot; &lt;c> &amp; d" width="800" height="450" style="border:0" loading="lazy"></iframe>',
    );
  });
});
