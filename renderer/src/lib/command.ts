/** What a command is (the registry in commands.ts, and the export commands it gathers): a name, a label, a key, why it cannot run now, and what it does. */
export interface Command {
  name: string;
  label: string;
  /** The key that runs it (as KeyboardEvent.key), shown in the palette and in titles */
  key?: string;
  /** null when it can run now; otherwise why not, in a sentence */
  disabledReason(): string | null;
  run(): void | Promise<void>;
}
