export function BottomPanel() {
  return <div data-testid="panels" />;
}
