// The learn folder's front door: tours, notes and the glossary on the page.
export { LearnDock } from './LearnDock.tsx';
export { glossary, type Gloss } from './glossary.ts';
export { EmbedView } from './EmbedView.tsx';
export { embedCode, embedStore, fullPageUrl, isEmbed } from './embed.ts';
export { GlossTerm } from './GlossTerm.tsx';
