/**
 * Paths of fields in an Election document as problems name them: `spec.regions[3].electorateShare`,
 * `spec.regions[2].preferences.cand-x`, the way the API server names them too. The document itself is
 * the empty path.
 */
export function fieldPath(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  // Candidate ids and field names read plainly; any other key is quoted so the path stays unambiguous.
  const plain = /^[A-Za-z_][\w-]*$/.test(key) ? key : JSON.stringify(key);
  if (parent === "") return plain.startsWith('"') ? `[${plain}]` : plain;
  return plain.startsWith('"') ? `${parent}[${plain}]` : `${parent}.${plain}`;
}

/** Whether `path` is `ancestor` or lies under it. */
export function isWithin(path: string, ancestor: string): boolean {
  if (ancestor === "" || path === ancestor) return true;
  return path.startsWith(`${ancestor}.`) || path.startsWith(`${ancestor}[`);
}

/** How a problem line names a path: the document itself is "document". */
export function shownPath(path: string): string {
  return path === "" ? "document" : path;
}
