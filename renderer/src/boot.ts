/**
 * What the page does before anything else evaluates (main.tsx imports it
 * first): send its first calls (api/firstCalls.ts), so their answers travel
 * while React loads; a store already open (a reload) fetches the views'
 * chunk as soon as the summary says so, not after the first render asks.
 */
import { sendFirstCalls } from "./api/firstCalls";

sendFirstCalls(() => void import("./views/storeViews"));
