// The importer's front door: the host that listens for pasted and dropped text, and the way for
// other parts of the page (the Share box) to hand text to it.
export { ImportHost, requestImport } from './ImportHost.tsx';
