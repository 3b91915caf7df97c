// Tours and notes on the page: a dock at the top of the left column (in the page's flow, so it
// never covers the chain). It offers the first-visit tour, plays a tour (the narration: next and
// previous move the page to each stop's moment and selection), lists the notes of the moment at
// the cursor and adds one there.
import { useEffect, useState } from 'react';
import {
  firstVisitTour,
  loadShippedTours,
  seedStory,
  SHIPPED_COUNT,
  type ScenarioDoc,
  type ShippedTour,
  type TourDoc,
} from '../../scenario/index.ts';
import { useApp } from '../storeContext.ts';
import { browserStorage, landingHash, remember, shouldOffer } from './firstVisit.ts';
import { GlossaryList } from './GlossaryList.tsx';
import { Markup } from './Markup.tsx';
import { NoteForm } from './NoteForm.tsx';
import { useTour, type Playing } from './useTour.ts';
import './learn.css';

function Narration({ p, step, stop }: { p: Playing; step: (d: 1 | -1) => void; stop: () => void }) {
  const s = p.tour.stops[p.index]!;
  const last = p.index === p.tour.stops.length - 1;
  return (
    <div
      className="learn-narration"
      role="region"
      aria-label={`Tour: ${p.tour.title}`}
      data-testid="narration"
    >
      <div className="learn-head">
        <strong>{p.tour.title}</strong>
        <span data-testid="narration-count">
          Stop {p.index + 1} of {p.tour.stops.length}
        </span>
      </div>
      <div className="learn-text" data-testid="narration-text" aria-live="polite">
        <Markup text={s.text} />
        {p.missing && (
          <p className="learn-missing">
            What this stop points at is not on the page at this moment.
          </p>
        )}
      </div>
      <div className="learn-buttons">
        <button type="button" onClick={() => step(-1)} disabled={p.index === 0}>
          Previous
        </button>
        {last ? (
          <button type="button" onClick={stop}>
            Finish
          </button>
        ) : (
          <button type="button" onClick={() => step(1)}>
            Next
          </button>
        )}
        <button type="button" onClick={stop} aria-label="Close the tour">
          Close
        </button>
      </div>
    </div>
  );
}

export function LearnDock() {
  const doc = useApp((s) => s.doc);
  // The op only: a step of the stepper does not change which notes are shown.
  const cursorOp = useApp((s) => s.cursor.op);
  const { playing, start, step, stop } = useTour();
  const [offer, setOffer] = useState(() => {
    const kv = browserStorage();
    const isSeed = JSON.stringify(doc.ops) === JSON.stringify(seedStory.ops);
    return kv !== null && shouldOffer(kv, landingHash(), isSeed);
  });
  const [list, setList] = useState(false);
  // The shipped tours (and their scenarios) arrive when the list is first opened.
  const [shipped, setShipped] = useState<readonly ShippedTour[] | null>(null);
  useEffect(() => {
    if (list && !shipped) void loadShippedTours().then(setShipped);
  }, [list, shipped]);
  const [writing, setWriting] = useState(false);
  const [words, setWords] = useState(false);
  const answer = (take: boolean) => {
    const kv = browserStorage();
    if (kv) remember(kv);
    setOffer(false);
    if (take) start(firstVisitTour, seedStory);
  };
  const notes = (doc.notes ?? []).filter((n) => n.at.op === cursorOp);
  const tours: { tour: TourDoc; doc: ScenarioDoc | null }[] = [
    ...(doc.tours ?? []).map((tour) => ({ tour, doc: null })),
    ...(shipped ?? []),
  ];

  return (
    <section className="learn-dock" aria-label="Tours and notes" data-testid="learn-dock">
      {playing ? (
        <Narration p={playing} step={step} stop={stop} />
      ) : offer ? (
        <div className="learn-offer" role="region" aria-label="Welcome" data-testid="tour-offer">
          <p>
            New here? <strong>{firstVisitTour.title}</strong> walks the page in{' '}
            {firstVisitTour.stops.length} short stops.
          </p>
          <div className="learn-buttons">
            <button type="button" onClick={() => answer(true)}>
              Take the tour
            </button>
            <button type="button" onClick={() => answer(false)}>
              Skip
            </button>
          </div>
        </div>
      ) : (
        <div className="learn-buttons">
          <button type="button" aria-expanded={list} onClick={() => setList(!list)}>
            Tours{doc.tours?.length ? ` (${doc.tours.length + SHIPPED_COUNT})` : ''}
          </button>
          <button type="button" aria-expanded={writing} onClick={() => setWriting(!writing)}>
            Add a note
          </button>
          <button type="button" aria-expanded={words} onClick={() => setWords(!words)}>
            Glossary
          </button>
        </div>
      )}
      {!playing && list && !shipped && (
        <div className="loading" aria-busy="true" aria-label="Loading…" />
      )}
      {!playing && list && shipped && (
        <ul className="learn-tours" aria-label="Tours">
          {tours.map((t, i) => (
            <li key={i}>
              <button
                type="button"
                onClick={() => {
                  setList(false);
                  start(t.tour, t.doc);
                }}
              >
                {t.tour.title}
              </button>{' '}
              <span className="learn-dim">
                {t.tour.stops.length} stops
                {t.doc === seedStory ? ', on the seed story' : t.doc ? ', on its own example' : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
      {words && <GlossaryList />}
      {writing && <NoteForm onDone={() => setWriting(false)} />}
      {notes.length > 0 && (
        <ul className="learn-notes" aria-label="Notes at this op" data-testid="notes-here">
          {notes.map((n, i) => (
            <li key={i} className="learn-note">
              <span className="learn-dim">
                Note at op {n.at.op + 1}, step {n.at.step}:
              </span>
              <Markup text={n.text} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
