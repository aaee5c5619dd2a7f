/**
 * File-system errors in words: Node's messages (`ENOSPC: no space left on device, write`) are turned into a reason
 * a user reads (`no space left on the device (ENOSPC)`), without the raw `CODE:` prefix or a stack trace, so every
 * `MixupError` about a file reads the same way.
 */

const REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a component of the path is not a directory',
  ENAMETOOLONG: 'the path (or one of its names) is too long',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EEXIST: 'it already exists',
  ENOTEMPTY: 'the directory is not empty',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EIO: 'input/output error',
  ELOOP: 'too many levels of symbolic links',
  EXDEV: 'cross-device link',
  EBUSY: 'the resource is busy',
  EFBIG: 'the file is too large',
  ETXTBSY: 'the file is busy',
  ERR_FS_FILE_TOO_LARGE: 'the file is larger than 2 GiB',
};

/** The errno code of a Node error (`ENOSPC`), if it has one. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * A file-system error as a short reason: `no space left on the device (ENOSPC)`. Errors without a known code keep
 * their message minus a leading `CODE: ` and the trailing `, syscall 'path'` part.
 */
export function describeFsError(error: unknown): string {
  const code = errorCode(error);
  if (code !== undefined && REASONS[code] !== undefined) return `${REASONS[code]} (${code})`;
  const message = error instanceof Error ? error.message : String(error);
  const stripped = message.replace(/^[A-Z][A-Z_]+: /, '').replace(/, \w+ '[^']*'( -> '[^']*')?$/, '');
  return code === undefined ? stripped : `${stripped} (${code})`;
}
