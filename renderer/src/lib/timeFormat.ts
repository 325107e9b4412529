/**
 * The one way the app writes a time: in UTC (as every time in the app, the
 * pickers included), the date as year-month-day (never ambiguous), the time
 * of day as the user's locale writes it (Intl.DateTimeFormat: "18:19" or
 * "6:19 PM"), to the precision asked. Tables, charts and rulers all use it.
 */
export type Precision = "minute" | "second" | "ms";

const clocks = new Map<Precision, Intl.DateTimeFormat>();
/** The locale the clock follows: the user's (undefined), or one a test names. */
let locale: string | undefined;

/** Write times as `next` writes them (undefined: the user's locale); for tests, which must not depend on the machine's. */
export function setTimeLocale(next: string | undefined): void {
  locale = next;
  clocks.clear();
}

function clock(precision: Precision): Intl.DateTimeFormat {
  let format = clocks.get(precision);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      timeZone: "UTC",
      hour: "2-digit",
      minute: "2-digit",
      ...(precision === "minute" ? {} : { second: "2-digit" }),
      ...(precision === "ms" ? { fractionalSecondDigits: 3 } : {}),
    });
    clocks.set(precision, format);
  }
  return format;
}

/** The time of day, UTC, as the locale writes it. */
export function clockText(ms: number, precision: Precision = "second"): string {
  return clock(precision).format(ms);
}

/** The day, UTC: 2026-03-02. */
export function dayText(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Month and day, UTC: 03-02 (a ruler's day boundary). */
export function monthDayText(ms: number): string {
  return new Date(ms).toISOString().slice(5, 10);
}

/** A date and time, UTC: 2026-03-02 18:19:58 (or 06:19:58 PM, by the locale). */
export function dateTimeText(ms: number, precision: Precision = "second"): string {
  return `${dayText(ms)} ${clockText(ms, precision)}`;
}
