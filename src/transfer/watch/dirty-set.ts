/**
 * Changed paths waiting for the next window, with the time each was first
 * seen so a window never closes before `debounce` has passed since its
 * oldest change.
 */
export class DirtySet {
  private readonly firstSeen = new Map<string, number>();

  add(relPath: string, at: number): void {
    if (!this.firstSeen.has(relPath)) this.firstSeen.set(relPath, at);
  }

  get size(): number {
    return this.firstSeen.size;
  }

  /** Time of the oldest pending change, or null when nothing is pending. */
  oldest(): number | null {
    let min: number | null = null;
    for (const t of this.firstSeen.values()) if (min === null || t < min) min = t;
    return min;
  }

  paths(): string[] {
    return [...this.firstSeen.keys()];
  }

  clear(): void {
    this.firstSeen.clear();
  }
}

/**
 * Drop every path that lies under another path of the list: the syncer
 * re-plans a directory's whole subtree, so its descendants add nothing.
 * '' (the root) covers everything.
 */
export function collapsePaths(relPaths: readonly string[]): string[] {
  const unique = new Set(relPaths);
  if (unique.has('')) return [''];
  const out: string[] = [];
  for (const p of unique) {
    if (!ancestorsOf(p).some((a) => unique.has(a))) out.push(p);
  }
  return out.sort();
}

/** Proper ancestors of a relative path, nearest last: 'a/b/c' → ['a', 'a/b']. */
export function ancestorsOf(relPath: string): string[] {
  const parts = relPath.split('/');
  const out: string[] = [];
  for (let i = 1; i < parts.length; i++) out.push(parts.slice(0, i).join('/'));
  return out;
}

/** True when `path` is `base` or lies below it. */
export function isWithin(path: string, base: string): boolean {
  return base === '' || path === base || path.startsWith(base + '/');
}
