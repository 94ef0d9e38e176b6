/**
 * The lowest H.264 level that admits a picture size, frame rate and VBV. A rung's
 * level must cover them, or decoders that trust the level (hardware, Safari's
 * `canPlayType` on CODECS) may refuse the stream; x264 writes what it is told.
 */
import { H264_LEVELS } from './rung.js';
import type { H264Level, H264Profile } from './rung.js';

interface LevelLimits {
  /** Macroblocks per second. */
  readonly maxMbps: number;
  /** Macroblocks per frame. */
  readonly maxFs: number;
  /** kbit/s for Baseline and Main (x1.25 for High, Table A-2 cpbBrVclFactor). */
  readonly maxBr: number;
  /** kbit for Baseline and Main (x1.25 for High). */
  readonly maxCpb: number;
}

// ITU-T H.264 (08/2021) Table A-1, in the order of H264_LEVELS.
const LIMITS: Record<H264Level, LevelLimits> = {
  '1.0': { maxMbps: 1485, maxFs: 99, maxBr: 64, maxCpb: 175 },
  '1.1': { maxMbps: 3000, maxFs: 396, maxBr: 192, maxCpb: 500 },
  '1.2': { maxMbps: 6000, maxFs: 396, maxBr: 384, maxCpb: 1000 },
  '1.3': { maxMbps: 11880, maxFs: 396, maxBr: 768, maxCpb: 2000 },
  '2.0': { maxMbps: 11880, maxFs: 396, maxBr: 2000, maxCpb: 2000 },
  '2.1': { maxMbps: 19800, maxFs: 792, maxBr: 4000, maxCpb: 4000 },
  '2.2': { maxMbps: 20250, maxFs: 1620, maxBr: 4000, maxCpb: 4000 },
  '3.0': { maxMbps: 40500, maxFs: 1620, maxBr: 10000, maxCpb: 10000 },
  '3.1': { maxMbps: 108000, maxFs: 3600, maxBr: 14000, maxCpb: 14000 },
  '3.2': { maxMbps: 216000, maxFs: 5120, maxBr: 20000, maxCpb: 20000 },
  '4.0': { maxMbps: 245760, maxFs: 8192, maxBr: 20000, maxCpb: 25000 },
  '4.1': { maxMbps: 245760, maxFs: 8192, maxBr: 50000, maxCpb: 62500 },
  '4.2': { maxMbps: 522240, maxFs: 8704, maxBr: 50000, maxCpb: 62500 },
  '5.0': { maxMbps: 589824, maxFs: 22080, maxBr: 135000, maxCpb: 135000 },
  '5.1': { maxMbps: 983040, maxFs: 36864, maxBr: 240000, maxCpb: 240000 },
  '5.2': { maxMbps: 2073600, maxFs: 36864, maxBr: 240000, maxCpb: 240000 },
};

export interface LevelRequirements {
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  readonly maxrateKbps: number;
  readonly bufsizeKbps: number;
  readonly profile: H264Profile;
}

/** The lowest level whose limits admit the rung, or undefined if even 5.2 is too small. */
export function minimumH264Level(req: LevelRequirements): H264Level | undefined {
  const widthMbs = Math.ceil(req.width / 16);
  const heightMbs = Math.ceil(req.height / 16);
  const frameMbs = widthMbs * heightMbs;
  const rateFactor = req.profile === 'high' ? 1.25 : 1;
  return H264_LEVELS.find((level) => {
    const limits = LIMITS[level];
    // A-3.1 (f)/(g): neither dimension may exceed sqrt(8 x MaxFS) macroblocks.
    const maxSideMbs = Math.sqrt(limits.maxFs * 8);
    return (
      frameMbs <= limits.maxFs &&
      widthMbs <= maxSideMbs &&
      heightMbs <= maxSideMbs &&
      frameMbs * req.fps <= limits.maxMbps &&
      req.maxrateKbps <= limits.maxBr * rateFactor &&
      req.bufsizeKbps <= limits.maxCpb * rateFactor
    );
  });
}

/** The higher of two levels. */
export function higherH264Level(a: H264Level, b: H264Level): H264Level {
  return H264_LEVELS.indexOf(a) >= H264_LEVELS.indexOf(b) ? a : b;
}
