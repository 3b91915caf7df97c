// The learn folder's front door: tours, notes and the glossary on the page.
// EmbedView is loaded on demand (ui/lazy.tsx): exporting it here would put it in the first chunk.
export { LearnDock } from './LearnDock.tsx';
export { glossary, type Gloss } from './glossary.ts';
export { embedCode, embedStore, fullPageUrl, isEmbed } from './embed.ts';
export { GlossTerm } from './GlossTerm.tsx';
export { TermsCard } from './TermsCard.tsx';
