// Explicit registries of named units (parsers, commands, charts, channels, jobs); duplicates fail at start-up.
export interface Named {
  readonly name: string;
}

export interface Registry<T extends Named> {
  get(name: string): T | undefined;
  require(name: string): T;
  list(): readonly T[];
}

export function createRegistry<T extends Named>(what: string, items: readonly T[]): Registry<T> {
  const byName = new Map<string, T>();
  for (const item of items) {
    if (byName.has(item.name)) throw new Error(`Duplicate ${what} "${item.name}" in the registry.`);
    byName.set(item.name, item);
  }
  return {
    get: (name) => byName.get(name),
    require: (name) => {
      const item = byName.get(name);
      if (!item) throw new Error(`Unknown ${what} "${name}".`);
      return item;
    },
    list: () => [...byName.values()],
  };
}
