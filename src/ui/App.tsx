export function App() {
  return (
    <main>
      <h1>SVA Explorer</h1>
      <p data-testid="tagline">Arm SMMUv3 process management, one memory read at a time.</p>
    </main>
  );
}
