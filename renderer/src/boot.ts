/**
 * What the page does before anything else evaluates (main.tsx imports it
 * first): send its first calls (api/firstCalls.ts), so their answers travel
 * while React and the views evaluate.
 */
import { sendFirstCalls } from "./api/firstCalls";

sendFirstCalls();
