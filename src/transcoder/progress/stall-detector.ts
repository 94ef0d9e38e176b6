/**
 * Decides when an ffmpeg run has stalled: its output time (out_time_us from -progress)
 * has not advanced for stallMs. A stalled live input or a wedged encoder still prints
 * progress blocks, so "ffmpeg is alive" is not enough. No timers: the caller feeds
 * samples with the current time and may also ask between samples.
 */

export interface StallDetectorOptions {
  /** How long out_time may stay still before the run counts as stalled. */
  readonly stallMs: number;
}

export class StallDetector {
  private readonly stallMs: number;
  private bestOutTimeUs: number | undefined;
  private lastAdvanceMs: number | undefined;

  constructor(options: StallDetectorOptions) {
    this.stallMs = options.stallMs;
  }

  /**
   * Records a progress sample and says whether the run is stalled. An undefined
   * out_time ("N/A" before the first packet) or one that goes backwards is no progress.
   */
  observe(outTimeUs: number | undefined, nowMs: number): boolean {
    this.lastAdvanceMs ??= nowMs;
    if (outTimeUs !== undefined && (this.bestOutTimeUs === undefined || outTimeUs > this.bestOutTimeUs)) {
      this.bestOutTimeUs = outTimeUs;
      this.lastAdvanceMs = nowMs;
    }
    return this.isStalled(nowMs);
  }

  /**
   * Whether out_time has been still for stallMs as of nowMs. Ask this on a timer too:
   * a wedged ffmpeg may stop printing progress altogether. Before the first sample the
   * run is not stalled (the caller decides how long startup may take).
   */
  isStalled(nowMs: number): boolean {
    return this.lastAdvanceMs !== undefined && nowMs - this.lastAdvanceMs >= this.stallMs;
  }

  /** Milliseconds since out_time last advanced (0 before the first sample). */
  stillForMs(nowMs: number): number {
    return this.lastAdvanceMs === undefined ? 0 : Math.max(0, nowMs - this.lastAdvanceMs);
  }

  /** Forget all samples, e.g. when the process is restarted. */
  reset(): void {
    this.bestOutTimeUs = undefined;
    this.lastAdvanceMs = undefined;
  }
}
