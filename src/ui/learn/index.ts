// The learn folder's front door: tours, notes and the glossary on the page.
// EmbedView and LearnDock are loaded on demand (ui/lazy.tsx): exporting them here would put them
// in the first chunk; TermsCard brings its glossary when first opened (TermsOnDemand.tsx).
export { glossary, type Gloss } from './glossary.ts';
export { embedCode, embedStore, fullPageUrl, isEmbed } from './embed.ts';
export { noteLanding } from './firstVisit.ts';
export { GlossTerm } from './GlossTerm.tsx';
export { TermsCard } from './TermsOnDemand.tsx';
