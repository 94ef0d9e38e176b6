/** Tests of the presets and of resolving a configured ladder. */
import { describe, it, expect } from 'vitest';
import { LADDER_PRESETS } from './presets.js';
import { resolveLadder } from './resolve-ladder.js';

describe('presets', () => {
  it('derive maxrate (~1.07x) and bufsize (1.5x) from the average bitrate', () => {
    expect(LADDER_PRESETS['720p']).toEqual({
      kind: 'video',
      name: '720p',
      height: 720,
      videoBitrateKbps: 2800,
      maxrateKbps: 2996,
      bufsizeKbps: 4200,
      audioBitrateKbps: 128,
      profile: 'high',
      level: '3.1',
    });
    for (const preset of Object.values(LADDER_PRESETS)) {
      if (preset.kind !== 'video') continue;
      expect(preset.maxrateKbps / preset.videoBitrateKbps).toBeCloseTo(1.07, 2);
      expect(preset.bufsizeKbps / preset.videoBitrateKbps).toBeCloseTo(1.5, 2);
    }
  });

  it('name each video preset after its height', () => {
    const heights = Object.values(LADDER_PRESETS).flatMap((p) => (p.kind === 'video' ? [`${p.height}p`] : []));
    expect(heights).toEqual(['1080p', '720p', '480p', '360p', '240p']);
    expect(LADDER_PRESETS['audio-only']).toEqual({ kind: 'audio', name: 'audio-only', audioBitrateKbps: 64 });
  });
});

describe('resolveLadder', () => {
  it('turns preset names into specs, keeping the order given', () => {
    const result = resolveLadder(['360p', '1080p', 'audio-only']);
    expect(result).toEqual({
      ok: true,
      value: [LADDER_PRESETS['360p'], LADDER_PRESETS['1080p'], LADDER_PRESETS['audio-only']],
    });
  });

  it('fills the defaults of a custom video rung', () => {
    const result = resolveLadder([{ kind: 'video', name: '540p', height: 540, videoBitrateKbps: 2000 }]);
    expect(result).toEqual({
      ok: true,
      value: [
        {
          kind: 'video',
          name: '540p',
          height: 540,
          videoBitrateKbps: 2000,
          maxrateKbps: 2140,
          bufsizeKbps: 3000,
          audioBitrateKbps: 128,
          profile: 'high',
          level: '3.0',
        },
      ],
    });
  });

  it('keeps explicit values of a custom rung and accepts custom audio rungs', () => {
    const result = resolveLadder([
      {
        kind: 'video',
        name: 'hq',
        height: 1440,
        videoBitrateKbps: 9000,
        maxrateKbps: 9500,
        bufsizeKbps: 12000,
        audioBitrateKbps: 192,
        profile: 'main',
        level: '5.0',
      },
      { kind: 'audio', name: 'aac_hi', audioBitrateKbps: 160 },
    ]);
    expect(result.ok && result.value).toEqual([
      {
        kind: 'video',
        name: 'hq',
        height: 1440,
        videoBitrateKbps: 9000,
        maxrateKbps: 9500,
        bufsizeKbps: 12000,
        audioBitrateKbps: 192,
        profile: 'main',
        level: '5.0',
      },
      { kind: 'audio', name: 'aac_hi', audioBitrateKbps: 160 },
    ]);
  });

  it('rejects an empty ladder', () => {
    expect(resolveLadder([])).toMatchObject({ ok: false, error: { code: 'empty-ladder' } });
  });

  it('rejects an unknown preset and lists the known ones', () => {
    const result = resolveLadder(['720p', '4k']);
    expect(result).toMatchObject({ ok: false, error: { code: 'unknown-preset' } });
    expect(!result.ok && result.error.message).toContain('1080p');
  });

  it.each([
    ['a name with a space (would split -var_stream_map)', { kind: 'video', name: 'my rung', height: 720, videoBitrateKbps: 1000 }],
    ['a name with a percent sign (an ffmpeg pattern)', { kind: 'audio', name: 'a%v', audioBitrateKbps: 64 }],
    ['a maxrate below the bitrate', { kind: 'video', name: 'x', height: 720, videoBitrateKbps: 1000, maxrateKbps: 900 }],
    ['an unknown level', { kind: 'video', name: 'x', height: 720, videoBitrateKbps: 1000, level: '3.3' }],
    ['a fractional bitrate', { kind: 'video', name: 'x', height: 720, videoBitrateKbps: 999.5 }],
    ['an unknown key', { kind: 'audio', name: 'x', audioBitrateKbps: 64, codec: 'opus' }],
    ['a missing kind', { name: 'x', height: 720, videoBitrateKbps: 1000 }],
  ])('rejects a custom rung with %s', (_label, rung) => {
    // Deliberately malformed input, as it could arrive from a config file.
    const result = resolveLadder([rung as never]);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-rung' } });
    expect(!result.ok && result.error.message).toMatch(/^ladder entry 0: /);
  });

  it('rejects two rungs with the same name', () => {
    const result = resolveLadder(['720p', { kind: 'video', name: '720p', height: 720, videoBitrateKbps: 3000 }]);
    expect(result).toMatchObject({ ok: false, error: { code: 'duplicate-rung-name' } });
  });
});
