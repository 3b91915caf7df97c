// One region of the page that failed to draw shows why, in place, instead of blanking the page:
// the store (and the saved work) are untouched, and the region tries again when the scenario or
// the cursor changes (resetKey) or when asked to.
import { Component, type ReactNode } from 'react';

interface Props {
  /** What the region is, for the message ("the diagram"). */
  readonly what: string;
  /** A change of this value clears the error and draws the region again. */
  readonly resetKey: unknown;
  readonly children: ReactNode;
}

export class ErrorBoundary extends Component<Props, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidUpdate(prev: Props) {
    if (this.state.error && prev.resetKey !== this.props.resetKey) this.setState({ error: null });
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="region-error" role="alert" data-testid="region-error">
        <p>
          <strong>{this.props.what} could not be drawn</strong>: {error.message}
        </p>
        <p>Your scenario is safe. Undo the last change, move the cursor, or</p>
        <button type="button" className="btn" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </div>
    );
  }
}
