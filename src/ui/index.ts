// The UI layer's front door: the app's root component (main.tsx mounts it).
export { App } from './App.tsx';
export { embedStore, isEmbed, noteLanding } from './learn/index.ts';
