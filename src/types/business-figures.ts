// A site's business figures for one day, as parsed from its files, stored, simulated and shown.

/** One day's business figures: opens, closes, total users, calls, pushes (shows), MO, MT. */
export interface BusinessFigures {
  sub: number;
  unsub: number;
  total: number;
  calls: number;
  shows: number;
  mo: number;
  mt: number;
}
