// Ordered list of schema migrations; add new ones at the end.
import { InitialSchema1764028800000 } from './1764028800000-initial-schema';

export const migrations = [InitialSchema1764028800000];
