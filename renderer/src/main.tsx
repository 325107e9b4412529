// First of all (imports run in order): the store's summary and preview are asked before React and the views evaluate.
import "./boot";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { api } from "./api/client";
import { useSession } from "./state/session";
import { useOwnLost } from "./state/ownLost";
import { App } from "./App";
import "./styles.css";

api.on("store.changed", (event) => {
  useSession.getState().applyChange(event);
  if (event.lostOwnWrites) useOwnLost.getState().add(event.lostOwnWrites);
});
void useSession.getState().load();

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
