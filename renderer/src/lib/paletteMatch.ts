/**
 * Which commands the palette shows for what was typed, best first: every
 * typed word must be in the label; a label that starts with the typed text
 * comes first, then one holding it as a phrase, then the rest, each group in
 * the commands' own order (so "open a store" puts "Open a store…" above
 * "Clear index cache: each store's next open…").
 */
export function paletteMatches<C extends { label: string }>(commands: readonly C[], text: string): C[] {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  const phrase = words.join(" ");
  const rank = (label: string) => (label.startsWith(phrase) ? 0 : label.includes(phrase) ? 1 : 2);
  return commands
    .map((command) => ({ command, label: command.label.toLowerCase().replace(/\s+/g, " ") }))
    .filter(({ label }) => words.every((w) => label.includes(w)))
    .sort((a, b) => rank(a.label) - rank(b.label))
    .map(({ command }) => command);
}
