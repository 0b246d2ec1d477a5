/** Paths from the plan or from a (possibly hand-edited) manifest must stay inside the target directory. */

/** True for a relative POSIX path with no empty, `.` or `..` segment and no drive or backslash. */
export function isSafeRelativePath(path: string): boolean {
  if (path === '' || path.startsWith('/') || path.includes('\\') || /^[A-Za-z]:/.test(path) || path.includes('\0'))
    return false;
  return path.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}
