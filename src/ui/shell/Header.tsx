import { useApp } from '../storeContext.ts';

export function Header() {
  const title = useApp((s) => s.doc.title);
  return (
    <header className="header">
      <h1>SVA Explorer</h1>
      <span className="title">{title}</span>
    </header>
  );
}
