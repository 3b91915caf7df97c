// An animated GIF of a range of the stepper's steps: each step of the op at the cursor is shown
// in the diagram (stepper marks on), drawn as the picture export draws it (picture.ts), and
// encoded as one frame by gifenc (small, no dependencies, MIT). Loaded on demand with gifenc:
// neither is in the first-load bundle. The cursor and the stepper are put back afterwards.
import { applyPalette, GIFEncoder, quantize } from 'gifenc';
import { pictureOf, save, sourcesOf, type PictureTheme } from './picture.ts';

/** What the export drives: the step at the cursor and whether the stepper's marks show. */
export interface StepHost {
  step(): number;
  stepping(): boolean;
  setStep(step: number): void;
  setStepping(on: boolean): void;
}

/** Frames are at most this many pixels a side (a GIF of the whole diagram at 2× is megabytes). */
const MAX_SIDE = 1600;
/** Time a frame shows: the stepper's own pace at 1× (playback.ts STEP_MS). */
const DELAY_MS = 800;

/** Two animation frames: React has committed the new step and the browser has laid it out. */
const painted = (): Promise<void> =>
  new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(() => ok())));

async function imageOf(svg: string): Promise<HTMLImageElement> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    return img;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/**
 * The GIF of steps `from`..`to` (0-based, inclusive) of the op at the cursor: one frame a step,
 * all of the first frame's size (a later step's drawing is clipped to it), looping.
 */
export async function gifOfSteps(
  host: StepHost,
  from: number,
  to: number,
  theme: PictureTheme,
  title: string,
): Promise<Uint8Array> {
  const was = { step: host.step(), stepping: host.stepping() };
  const gif = GIFEncoder();
  let canvas: HTMLCanvasElement | null = null;
  try {
    host.setStepping(true);
    for (let s = from; s <= to; s++) {
      host.setStep(s);
      await painted();
      const sources = sourcesOf('diagram');
      if (sources.length === 0) throw new Error('the diagram is not on the page');
      const p = pictureOf(sources, theme, `${title} — step ${s + 1}`);
      const img = await imageOf(p.svg);
      if (!canvas) {
        const k = Math.min(1, MAX_SIDE / Math.max(1, p.width, p.height));
        canvas = document.createElement('canvas');
        canvas.width = Math.max(1, Math.round(p.width * k));
        canvas.height = Math.max(1, Math.round(p.height * k));
      }
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      if (!ctx) throw new Error('this browser cannot draw on a canvas');
      const k = canvas.width / Math.max(1, p.width);
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(img, 0, 0, Math.round(p.width * k), Math.round(p.height * k));
      const rgba = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      const palette = quantize(rgba, 256);
      gif.writeFrame(applyPalette(rgba, palette), canvas.width, canvas.height, {
        palette,
        delay: DELAY_MS,
      });
    }
    gif.finish();
    return gif.bytes();
  } finally {
    host.setStep(was.step);
    host.setStepping(was.stepping);
  }
}

/** Exports the GIF as a download; returns an error sentence, or null when it started. */
export async function exportSteps(
  host: StepHost,
  from: number,
  to: number,
  theme: PictureTheme,
  base: string,
): Promise<string | null> {
  try {
    const bytes = await gifOfSteps(host, from, to, theme, base);
    const name = `${base.replace(/[^\w.-]+/g, '-').slice(0, 60)}-steps-${from + 1}-${to + 1}-${theme}.gif`;
    save(name, new Blob([bytes as BlobPart], { type: 'image/gif' }));
    return null;
  } catch (e) {
    return `The animation could not be made: ${e instanceof Error ? e.message : String(e)}`;
  }
}
