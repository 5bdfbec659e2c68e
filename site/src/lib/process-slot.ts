/**
 * A value that the build's scripts hand to the site's code in the same process. The site runs
 * inside Astro's bundle, with its own copies of the modules the scripts import: both copies meet
 * under one global symbol.
 */
export interface ProcessSlot<T> {
  get(): T | undefined;
  /** Sets the value, or with undefined removes it. */
  set(value: T | undefined): void;
}

/** The slot `terreau.<name>` of this process. */
export function processSlot<T>(name: string): ProcessSlot<T> {
  const key = Symbol.for(`terreau.${name}`);
  const slots = globalThis as { [key: symbol]: unknown };
  return {
    get: () => slots[key] as T | undefined,
    set: (value) => {
      slots[key] = value;
    },
  };
}
