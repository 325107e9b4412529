/**
 * The Timeline scrubber's buttons run the registry's commands, as their keys
 * do (commands.ts): each button names its command, and from the same state
 * the button and its key do the same thing: move the cursor, play, play to
 * the next event, and pause a play to the next event; a button that is off
 * (at position 0, at the current state) leaves its key doing nothing too.
 * On a fresh copy of the demo store.
 */
import type { Page } from "@playwright/test";
import { demoStoreCopy, expect, test } from "../fixtures";

/** Each scrubber button, the command it names, and the key that runs that command */
const BUTTONS = [
  { button: "replay-start", command: "replay-start", key: "Home" },
  { button: "step-back", command: "step-back", key: "ArrowLeft" },
  { button: "play", command: "play", key: " " },
  { button: "step-forward", command: "step-forward", key: "ArrowRight" },
  { button: "replay-now", command: "replay-now", key: "End" },
  { button: "play-next-event", command: "play-next-event", key: "n" },
];

/** How to do it: click the button, or press its key (the focus on the page, not in a box). */
type Way = "button" | "key";
async function act(page: Page, b: (typeof BUTTONS)[number], way: Way): Promise<void> {
  if (way === "button") return page.getByTestId(b.button).click();
  await page.getByTestId("replay-pos").click(); // nothing that takes keys has the focus
  await page.keyboard.press(b.key);
}

/** Paused at position `pos` (Home, then → as many times). */
async function pausedAt(page: Page, pos: number, total: number): Promise<void> {
  if ((await page.getByTestId("play").getAttribute("aria-label")) === "Pause") await page.getByTestId("play").click();
  await expect(page.getByTestId("play")).toHaveAttribute("aria-label", "Play");
  await page.getByTestId("replay-pos").click();
  await page.keyboard.press("Home");
  for (let i = 0; i < pos; i++) await page.keyboard.press("ArrowRight");
  await expect(page.getByTestId("replay-pos")).toHaveText(`${pos} / ${total.toLocaleString("en-US")}`);
}

test("each scrubber button names the command its key runs, and from the same state both do the same", async ({ page, workDir, explorer }) => {
  await page.goto((await explorer(await demoStoreCopy(workDir))).url);
  await page.getByTestId("nav-timeline").click();
  await expect(page.getByTestId("replay-pos")).toHaveText(/^[\d,]+ \/ [\d,]+$/);
  const total = Number((await page.getByTestId("replay-pos").textContent())!.split("/")[1].replace(/[^\d]/g, ""));
  const pos = (n: number) => `${n.toLocaleString("en-US")} / ${total.toLocaleString("en-US")}`;
  await page.getByTestId("speed").selectOption("1"); // one op a second: a play is still playing when looked at
  for (const b of BUTTONS) await expect(page.getByTestId(b.button), b.button).toHaveAttribute("data-command", b.command);

  const play = page.getByTestId("play");
  const toEvent = page.getByTestId("play-next-event");
  const step = (name: string) => BUTTONS.find((b) => b.button === name)!;
  for (const way of ["key", "button"] as const) {
    await test.step(`by ${way}: the cursor moves alike`, async () => {
      for (const [name, from, to] of [["replay-start", 2, 0], ["step-back", 2, 1], ["step-forward", 2, 3], ["replay-now", 2, total]] as const) {
        await pausedAt(page, from, total);
        await act(page, step(name), way);
        await expect(page.getByTestId("replay-pos"), `${name} by ${way}`).toHaveText(pos(to));
      }
    });
    await test.step(`by ${way}: play and pause, play to the next event and pause it`, async () => {
      await pausedAt(page, 1, total);
      await act(page, step("play"), way);
      await expect(play).toHaveAttribute("aria-label", "Pause");
      await act(page, step("play"), way);
      await expect(play).toHaveAttribute("aria-label", "Play");
      await act(page, step("play-next-event"), way);
      await expect(play).toHaveAttribute("aria-label", "Pause");
      await expect(toEvent).toHaveText("❚❚ to next event");
      await act(page, step("play-next-event"), way); // again: pauses, the button as the key
      await expect(play).toHaveAttribute("aria-label", "Play");
      await expect(toEvent).toHaveText("▶ to next event");
    });
  }

  await test.step("a button that is off leaves its key doing nothing", async () => {
    await pausedAt(page, 0, total);
    for (const name of ["replay-start", "step-back"]) await expect(page.getByTestId(name)).toBeDisabled();
    await page.keyboard.press("ArrowLeft");
    await expect(page.getByTestId("replay-pos")).toHaveText(pos(0));
    await page.keyboard.press("End");
    for (const name of ["replay-now", "step-forward"]) await expect(page.getByTestId(name)).toBeDisabled();
    await page.keyboard.press("ArrowRight");
    await expect(page.getByTestId("replay-pos")).toHaveText(pos(total));
  });
});
