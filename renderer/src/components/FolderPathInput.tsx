/**
 * The open screen's path box: as the user types, the sub-folders of the typed
 * parent (store.folders), those holding a manifest.json marked as stores.
 * ↑/↓ choose, Tab or → takes the chosen folder into the box (and lists its
 * own sub-folders), Enter opens the chosen folder, or the text as typed when
 * none is chosen; Esc closes the list first, then the screen.
 */
import { useEffect, useRef, useState } from "react";
import type { FolderList } from "../../../electron/contract";
import { api } from "../api/client";

interface Props {
  value: string;
  onChange(value: string): void;
  onOpen(path: string): void;
}

/** The separator the listed paths use, so a folder taken into the box ends with one (and its sub-folders list next). */
const separatorOf = (path: string) => (path.includes("\\") && !path.includes("/") ? "\\" : "/");

/** "~/…" as the main process expanded it for the list (only it knows the home folder); any other text as typed. */
function expanded(text: string, list: FolderList | null): string {
  if (!text.startsWith("~") || !list) return text;
  return list.partial ? `${list.parent}${separatorOf(list.parent)}${list.partial}` : list.parent;
}

export function FolderPathInput({ value, onChange, onOpen }: Props) {
  const [list, setList] = useState<FolderList | null>(null);
  const [chosen, setChosen] = useState(-1);
  const [listOpen, setListOpen] = useState(false);
  const typed = useRef(value);
  useEffect(() => {
    typed.current = value;
    if (!listOpen || value.startsWith("s3://")) return setList(null);
    // supersede: only the answer for the latest text counts
    api.call("store.folders", { path: value }, { supersede: "open-screen-folders" }).then(
      (answer) => typed.current === value && (setList(answer), setChosen(-1)),
      () => undefined,
    );
  }, [value, listOpen]);
  const folders = list?.folders ?? [];
  const take = (path: string) => {
    onChange(path + separatorOf(path));
    setListOpen(true);
  };
  function onKeyDown(e: React.KeyboardEvent<HTMLInputElement>) {
    const shown = listOpen && folders.length > 0;
    if (e.key === "ArrowDown" && shown) setChosen(Math.min(chosen + 1, folders.length - 1));
    else if (e.key === "ArrowUp" && shown) setChosen(Math.max(chosen - 1, -1));
    else if ((e.key === "Tab" || e.key === "ArrowRight") && shown && chosen >= 0 && !e.shiftKey) take(folders[chosen].path);
    else if (e.key === "Tab" && shown && folders.length === 1 && !e.shiftKey) take(folders[0].path);
    else if (e.key === "Enter") {
      const path = shown && chosen >= 0 ? folders[chosen].path : expanded(value.trim(), list);
      if (!path) return;
      setListOpen(false);
      onOpen(path);
    } else if (e.key === "Escape" && shown) setListOpen(false);
    else return;
    e.preventDefault();
    e.stopPropagation();
  }
  return (
    <div className="folder-path grow">
      <input
        className="mono"
        placeholder="/path/to/store (type to see its folders)"
        value={value}
        autoFocus
        spellCheck={false}
        role="combobox"
        aria-expanded={listOpen && folders.length > 0}
        aria-controls="folder-list"
        aria-autocomplete="list"
        onChange={(e) => { onChange(e.target.value); setListOpen(true); }}
        onFocus={() => value && setListOpen(true)}
        onBlur={() => setListOpen(false)}
        onKeyDown={onKeyDown}
        data-testid="open-path"
      />
      {listOpen && list && (folders.length > 0 || list.problem || list.parentIsStore) ? (
        <ul className="folder-list" id="folder-list" role="listbox" data-testid="folder-list" onMouseDown={(e) => e.preventDefault() /* keep the box's focus */}>
          {list.problem ? <li className="folder-problem" data-testid="folder-problem">{list.problem}</li> : null}
          {list.parentIsStore && !list.partial ? <li className="muted small" data-testid="folder-parent-store">{list.parent} is a store: Enter opens it</li> : null}
          {folders.map((f, i) => (
            <li key={f.path} role="option" aria-selected={i === chosen} className={`folder-item${i === chosen ? " chosen" : ""}`} data-testid="folder-item" data-store={f.isStore} onMouseEnter={() => setChosen(i)} onClick={() => take(f.path)} onDoubleClick={() => onOpen(f.path)} title={f.isStore ? `${f.path}: a store (it holds manifest.json)` : f.path}>
              <span className="mono">{f.name}</span>
              {f.isStore ? <span className="store-tag" data-testid="folder-store-tag">store</span> : null}
            </li>
          ))}
          {list.truncated ? <li className="muted small">…more folders: type more of the name</li> : null}
        </ul>
      ) : null}
    </div>
  );
}
