// The four fflate functions links use, in a module of their own: codec.ts imports it on demand,
// and naming them here lets the bundler leave the rest of fflate (zip, gzip, streams) out.
export { deflateSync, inflateSync, strFromU8, strToU8 } from 'fflate';
