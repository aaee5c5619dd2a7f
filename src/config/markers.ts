/**
 * File names in a work dir that more than one room reads: the engine writes the finished marker, the generated
 * scripts test for it, `mixup summarize` must not take it for a log.
 *
 * The marker's name does not contain `.json`: OpenMixup's `tools/summary/*.py` read every file of a work dir whose
 * name contains `.json` as a log (the latest one by name), so a `finished.json` made them print `nan`.
 */

/** Marker file of a finished run (JSON content, see `FinishedMarker` in `src/engine/workdir.ts`). */
export const FINISHED_MARKER = 'finished';

/** Names the marker had before (work dirs written by older versions); still recognised when reading. */
export const LEGACY_FINISHED_MARKERS: readonly string[] = ['finished.json'];
