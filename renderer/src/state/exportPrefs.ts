/** How exports are written, as the user chose in an Export menu: kept while the app runs, across stores (a preference, not a store's state). */
import { create } from "zustand";

interface ExportPrefs {
  /** CSV cells a spreadsheet would run as a formula get a leading ' (OWASP CSV injection); on unless turned off */
  csvFormulaGuard: boolean;
  setCsvFormulaGuard(on: boolean): void;
}

export const useExportPrefs = create<ExportPrefs>((set) => ({
  csvFormulaGuard: true,
  setCsvFormulaGuard: (on) => set({ csvFormulaGuard: on }),
}));
