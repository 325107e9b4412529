/**
 * A row of short items (the header's counts) that keeps to one line without
 * cutting a word: items that do not fit wrap onto a hidden second line, and a
 * "+N" button names them and unfolds the row to show them all.
 */
import { useLayoutEffect, useRef, useState } from "react";
import type { ReactNode } from "react";

export function FitOneLine({ className, children }: { className: string; children: ReactNode }) {
  const items = useRef<HTMLDivElement>(null);
  const [hidden, setHidden] = useState<string[]>([]);
  const [open, setOpen] = useState(false);
  useLayoutEffect(() => {
    const el = items.current;
    if (!el) return;
    // An item is hidden when it has wrapped below the first one.
    const measure = () => {
      const kids = [...el.children] as HTMLElement[];
      const top = kids[0]?.offsetTop ?? 0;
      const off = kids.filter((k) => k.offsetTop > top + 2).map((k) => (k.textContent ?? "").trim());
      setHidden((was) => (was.join("\n") === off.join("\n") ? was : off));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    const changes = new MutationObserver(measure);
    changes.observe(el, { subtree: true, childList: true, characterData: true });
    return () => {
      observer.disconnect();
      changes.disconnect();
    };
  }, []);
  const more = open ? "fewer" : `+${hidden.length}`;
  return (
    <div className={`fit-line ${className}${open ? " open" : ""}`}>
      <div className="fit-line-items" ref={items} data-testid="fit-line-items">{children}</div>
      {hidden.length > 0 || open ? <button className="fit-line-more" data-testid="fit-line-more" aria-expanded={open} onClick={() => setOpen(!open)} title={open ? "Show the counts on one line" : `Not shown for lack of room: ${hidden.join(" · ")}`}>{more}</button> : null}
    </div>
  );
}
