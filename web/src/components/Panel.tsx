import type { ReactNode } from "react";

interface Props {
  title: string;
  actions?: ReactNode;
  className?: string;
  children: ReactNode;
}

/** A titled card on the Playground. */
export function Panel({ title, actions, className, children }: Props) {
  return (
    <section className={`panel ${className ?? ""}`.trim()} aria-label={title}>
      <header className="panel-header">
        <h2>{title}</h2>
        {actions}
      </header>
      {children}
    </section>
  );
}
