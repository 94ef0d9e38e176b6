/**
 * Checks a low-latency media playlist against the rules of RFC 8216bis that a
 * packager can get wrong and that players punish (stalls, refetches, a player
 * that gives up on low latency): part durations within PART-TARGET, parts of
 * a segment that are not its last at least 85% of it, segments whose parts add
 * up to their EXTINF, a first part of each segment marked INDEPENDENT (segments
 * are whole GOPs here), the preload hint after the last part, blocking reload
 * on, and PART-HOLD-BACK at least three part targets. Returns every violation
 * with its line; an empty list is a pass. Pure: text in, findings out.
 */
import { scanAttributes } from './attributes.js';
import { classifyLine, splitLines } from './line-kinds.js';

export type LowLatencyRule =
  | 'part-inf'
  | 'part-duration'
  | 'part-too-short'
  | 'parts-sum'
  | 'independent-first-part'
  | 'preload-hint-last'
  | 'can-block-reload'
  | 'part-hold-back';

export interface LowLatencyFinding {
  rule: LowLatencyRule;
  /** 1-based line of the offending tag (0 for the playlist as a whole). */
  line: number;
  message: string;
}

export interface LowLatencyRuleOptions {
  /** Slack for rounding in durations written with few decimals, seconds. @defaultValue 0.001 */
  toleranceSec?: number;
}

interface Part {
  duration: number;
  independent: boolean;
  line: number;
}

function attributesOf(body: string, from: number): Map<string, string> {
  const map = new Map<string, string>();
  const spans = scanAttributes(body, { from });
  if (!spans.ok) return map;
  for (const span of spans.value) map.set(span.name, body.slice(span.valueStart, span.valueEnd));
  return map;
}

export function checkLowLatencyPlaylist(text: string, options: LowLatencyRuleOptions = {}): LowLatencyFinding[] {
  const tolerance = options.toleranceSec ?? 0.001;
  const findings: LowLatencyFinding[] = [];
  const find = (rule: LowLatencyRule, line: number, message: string) => findings.push({ rule, line, message });
  let partTarget: number | undefined;
  let serverControl: { line: number; attributes: Map<string, string> } | undefined;
  let pending: Part[] = [];
  let lastPartLine = 0;
  let sawParts = false;
  const hints: number[] = [];

  const closeSegment = (extinf: number | undefined, uriLine: number) => {
    if (pending.length > 0) {
      if (!pending[0]!.independent) {
        find(
          'independent-first-part',
          pending[0]!.line,
          'the first part of a segment must be INDEPENDENT=YES: the segment starts on a keyframe',
        );
      }
      if (partTarget !== undefined) {
        pending.slice(0, -1).forEach((part) => {
          if (part.duration < 0.85 * partTarget! - tolerance) {
            find(
              'part-too-short',
              part.line,
              `part of ${part.duration} s is under 85% of PART-TARGET ${partTarget} s and not the last of its segment`,
            );
          }
        });
      }
      const sum = pending.reduce((total, part) => total + part.duration, 0);
      if (extinf !== undefined && Math.abs(sum - extinf) > Math.max(tolerance * pending.length, 0.01)) {
        find('parts-sum', uriLine, `the parts add up to ${sum.toFixed(3)} s but the segment's EXTINF is ${extinf} s`);
      }
    }
    pending = [];
  };

  let extinf: number | undefined;
  for (const [index, line] of splitLines(text).entries()) {
    const number = index + 1;
    const kind = classifyLine(line.body);
    if (kind.kind === 'uri') {
      closeSegment(extinf, number);
      extinf = undefined;
      continue;
    }
    if (kind.kind !== 'tag') continue;
    const value = kind.valueStart === undefined ? '' : line.body.slice(kind.valueStart);
    switch (kind.name) {
      case 'EXT-X-PART-INF':
        partTarget = Number(attributesOf(line.body, kind.valueStart ?? 0).get('PART-TARGET'));
        if (!Number.isFinite(partTarget) || partTarget <= 0) partTarget = undefined;
        break;
      case 'EXT-X-SERVER-CONTROL':
        serverControl = { line: number, attributes: attributesOf(line.body, kind.valueStart ?? 0) };
        break;
      case 'EXTINF':
        extinf = Number(value.split(',')[0]);
        break;
      case 'EXT-X-PART': {
        sawParts = true;
        lastPartLine = number;
        const attributes = attributesOf(line.body, kind.valueStart ?? 0);
        const duration = Number(attributes.get('DURATION'));
        const part = { duration, independent: attributes.get('INDEPENDENT') === 'YES', line: number };
        if (partTarget !== undefined && duration > partTarget + tolerance) {
          find('part-duration', number, `part of ${duration} s is longer than PART-TARGET ${partTarget} s`);
        }
        pending.push(part);
        break;
      }
      case 'EXT-X-PRELOAD-HINT':
        hints.push(number);
        break;
    }
  }
  // Parts after the last segment line belong to the segment being written: the first of them starts it.
  if (pending.length > 0 && !pending[0]!.independent) {
    find(
      'independent-first-part',
      pending[0]!.line,
      'the first part of a segment must be INDEPENDENT=YES: the segment starts on a keyframe',
    );
  }
  if (!sawParts) return findings;
  if (partTarget === undefined) find('part-inf', 0, 'a playlist with EXT-X-PART needs EXT-X-PART-INF:PART-TARGET');
  for (const hint of hints) {
    if (hint < lastPartLine) find('preload-hint-last', hint, 'EXT-X-PRELOAD-HINT must come after the last EXT-X-PART');
  }
  if (serverControl?.attributes.get('CAN-BLOCK-RELOAD') !== 'YES') {
    find('can-block-reload', serverControl?.line ?? 0, 'a low-latency playlist needs EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES');
  }
  const holdBack = Number(serverControl?.attributes.get('PART-HOLD-BACK'));
  if (partTarget !== undefined && !(holdBack >= 3 * partTarget - tolerance)) {
    find(
      'part-hold-back',
      serverControl?.line ?? 0,
      `PART-HOLD-BACK ${Number.isFinite(holdBack) ? `${holdBack} s` : 'missing'}: it must be at least 3 x PART-TARGET (${(3 * partTarget).toFixed(3)} s)`,
    );
  }
  return findings;
}
