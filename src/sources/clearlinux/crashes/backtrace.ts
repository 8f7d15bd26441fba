/**
 * Backtrace payloads of crashprobe (`crash/clr`) and klogscanner (`kernel/*`): frame parsing
 * (spec clearlinux.md §7.3), crash report fields (clearlinux.md §7.2), guilty selection (clearlinux.md §7.4) and the frames offered for
 * never-guilty editing (clearlinux.md §7.5). The payload itself is never modified (clearlinux.md §7.3: no c++filt rewrite).
 */

/** A guilty / never-guilty identity: exact strings, function kept verbatim (`()`, `? ` prefix). */
export type FramePair = Readonly<{ function: string; module: string }>;

export type Frame = FramePair &
  Readonly<{
    /** The `#<n>` frame number (restarts at 0 per thread; kernel frames start at 1). */
    number: number;
    /** Text after the module's closing `]`, e.g. ` - math-equation.c:1402`; '' when none. */
    rest: string;
  }>;

export type CrashReport = Readonly<{
  program: string | null;
  pid: number | null;
  signal: number | null;
  /** klogscanner's `Reason:` line (first oops line); null for crashprobe payloads. */
  reason: string | null;
  /** Frames of the crashing thread only (the first block), clearlinux.md §7.2. */
  frames: Frame[];
}>;

/** Never-guilty pairs as `pairKey` strings, as pair objects, or as a predicate. */
export type NeverGuilty = ReadonlySet<string> | Iterable<FramePair> | ((frame: FramePair) => boolean);

/**
 * clearlinux.md §7.3: `#`, digits, one space, function (longest match: the split is at the LAST ` - [` that is
 * followed by a `]`), module up to the LAST `]`, rest. `s` so that `.` also crosses U+2028/9,
 * which are not line breaks here.
 */
const FRAME_LINE = /^#([0-9]+) (.+) - \[(.*)\](.*)$/s;
/** clearlinux.md §7.4 UPSTREAM BUG 2: this must count as an unknown frame instead of ending the thread. */
const NO_SYMBOLS_LINE = /^#([0-9]+) \(no symbols\)[ \t]*$/;
const UNKNOWN_FUNCTION = '???';

/** clearlinux.md §7.3: lines end at `\n`, `\r\n` or `\r`. */
export function splitLines(payload: string): string[] {
  return payload.split(/\r\n|\r|\n/);
}

export function parseFrameLine(line: string): Frame | null {
  const frame = FRAME_LINE.exec(line);
  if (frame) return { number: Number(frame[1]), function: frame[2], module: frame[3], rest: frame[4] };
  const noSymbols = NO_SYMBOLS_LINE.exec(line);
  if (noSymbols) return { number: Number(noSymbols[1]), function: UNKNOWN_FUNCTION, module: '', rest: '' };
  return null;
}

/** `???` (no symbols) or `? name` (frame the kernel marked unreliable), clearlinux.md §7.4 step 3. */
export function isUnknownFunction(fn: string): boolean {
  return fn === UNKNOWN_FUNCTION || fn.startsWith('? ');
}

/** Unambiguous set key for a (function, module) pair. */
export function pairKey(fn: string, module: string): string {
  return JSON.stringify([fn, module]);
}

/** Build the membership test once (e.g. before re-processing every crash record). */
export function neverGuiltyPredicate(neverGuilty: NeverGuilty): (frame: FramePair) => boolean {
  if (typeof neverGuilty === 'function') return neverGuilty;
  if (neverGuilty instanceof Set) {
    const first: IteratorResult<unknown> = neverGuilty.values().next();
    if (first.done || typeof first.value === 'string') {
      const keys = neverGuilty as ReadonlySet<string>;
      return (frame) => keys.has(pairKey(frame.function, frame.module));
    }
  }
  const keys = new Set<string>();
  for (const item of neverGuilty as Iterable<string | FramePair>) {
    keys.add(typeof item === 'string' ? item : pairKey(item.function, item.module));
  }
  return (frame) => keys.has(pairKey(frame.function, frame.module));
}

/**
 * clearlinux.md §7.4 steps 1–2: skip the first line (QUIRK: always a header), ignore non-frame lines until the
 * first frame, then stop at the first non-frame line — only the crashing thread counts.
 */
export function crashingThreadFrames(payload: string): Frame[] {
  const frames: Frame[] = [];
  for (const line of splitLines(payload).slice(1)) {
    const frame = parseFrameLine(line);
    if (frame) frames.push(frame);
    else if (frames.length > 0) break;
  }
  return frames;
}

/**
 * clearlinux.md §7.4 step 3–4: the first frame that is neither never-guilty nor unknown; failing that the
 * first unknown frame, then the last examined one; null when there are no frames at all.
 * Every `???` and `? name` frame is unknown (UPSTREAM BUG 1 skipped only the first `? name`).
 */
export function findGuiltyFrame(payload: string, neverGuilty: NeverGuilty): FramePair | null {
  return chooseGuilty(crashingThreadFrames(payload), neverGuilty);
}

/**
 * clearlinux.md §7.4 step 3–4 on frames already parsed (e.g. the frames stored with a crash, which are exactly the
 * crashing thread's): re-processing one record needs no payload.
 */
export function chooseGuilty(frames: readonly FramePair[], neverGuilty: NeverGuilty): FramePair | null {
  const isNeverGuilty = neverGuiltyPredicate(neverGuilty);
  let firstUnknown: FramePair | null = null;
  let lastExamined: FramePair | null = null;
  for (const frame of frames) {
    lastExamined = frame;
    if (isNeverGuilty(frame)) continue;
    if (isUnknownFunction(frame.function)) {
      firstUnknown ??= frame;
      continue;
    }
    return pairOf(frame);
  }
  const fallback = firstUnknown ?? lastExamined;
  return fallback ? pairOf(fallback) : null;
}

/**
 * clearlinux.md §7.2: program / PID / signal from the `Process:`, `PID:`, `Signal:` lines (first occurrence),
 * frames of the crashing thread — the same frames clearlinux.md §7.4 chooses the guilty from, so the guilty
 * can always be highlighted among them.
 */
export function parseCrashReport(payload: string): CrashReport {
  let program: string | null = null;
  let pid: number | null = null;
  let signal: number | null = null;
  let reason: string | null = null;
  for (const line of splitLines(payload)) {
    let m: RegExpExecArray | null;
    if (program === null && (m = /^Process: (.*)$/s.exec(line))) program = m[1];
    else if (pid === null && (m = /^PID: ([0-9]+)$/.exec(line))) pid = Number(m[1]);
    else if (signal === null && (m = /^Signal: ([0-9]+)$/.exec(line))) signal = Number(m[1]);
    else if (reason === null && (m = /^Reason: (.*)$/s.exec(line))) reason = m[1];
  }
  return { program, pid, signal, reason, frames: crashingThreadFrames(payload) };
}

/**
 * clearlinux.md §7.5: frames offered as never-guilty checkboxes. As upstream's editor: `_start()` is always the
 * bottom frame of a crashprobe trace and is never offered; `__libc_start_main()` is dropped only
 * in a `libc.so.6` module.
 */
export function offeredFrames<F extends FramePair>(frames: readonly F[]): F[] {
  return frames.filter(
    (f) =>
      !f.function.startsWith('_start()') &&
      !(f.function.startsWith('__libc_start_main()') && f.module.includes('libc.so.6')),
  );
}

function pairOf(frame: FramePair): FramePair {
  return { function: frame.function, module: frame.module };
}
