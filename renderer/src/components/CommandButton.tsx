/**
 * A button that runs a command of the registry (commands.ts): off, saying
 * why, when the command cannot run; its title names the command's key. A
 * key and its button run the one command, so they cannot drift apart.
 */
import type { ReactNode } from "react";
import { command, keyLabel } from "../commands";

interface Props {
  name: string;
  testId: string;
  children: ReactNode;
  /** What the button does, when the command's own label says it less well */
  title?: string;
  className?: string;
  ariaLabel?: string;
}

export function CommandButton({ name, testId, children, title, className, ariaLabel }: Props) {
  const cmd = command(name);
  const reason = cmd.disabledReason();
  const what = `${title ?? cmd.label}${cmd.key ? ` (${keyLabel(cmd.key)})` : ""}`;
  return <button data-testid={testId} data-command={name} className={className} aria-label={ariaLabel} disabled={reason !== null} title={reason ?? what} onClick={() => void cmd.run()}>{children}</button>;
}
