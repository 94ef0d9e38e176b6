/** Tests of the SRS callback reading, stream key checks and the task a publish makes. */
import { describe, it, expect } from 'vitest';
import { parseTaskSpec } from '../task-spec.js';
import { isAuthorizedPublish, parseSrsHook, taskForPublish, taskIdForStream } from './srs-hook.js';

// The body SRS 5 posts for on_publish (ossrs.io "HTTP Callback").
const ON_PUBLISH = {
  server_id: 'vid-0xk989d',
  service_id: 'plw3d17a',
  action: 'on_publish',
  client_id: '341w361a',
  ip: '127.0.0.1',
  vhost: '__defaultVhost__',
  app: 'live',
  tcUrl: 'rtmp://127.0.0.1:1935/live',
  stream: 'cam1',
  param: '?key=s3cret-key',
  stream_url: '/live/cam1',
  stream_id: 'vid-124q9y3',
};

describe('parseSrsHook', () => {
  it('reads an SRS 5 on_publish body, keeping the fields it does not know', () => {
    expect(parseSrsHook(ON_PUBLISH)).toMatchObject({
      ok: true,
      value: { action: 'on_publish', app: 'live', stream: 'cam1', param: '?key=s3cret-key', stream_url: '/live/cam1' },
    });
  });

  it('refuses bodies that are not callbacks and names that would escape a path', () => {
    expect(parseSrsHook({ hello: 1 }).ok).toBe(false);
    expect(parseSrsHook({ ...ON_PUBLISH, stream: '../etc' }).ok).toBe(false);
  });
});

describe('isAuthorizedPublish', () => {
  it('accepts a global key and a key bound to its stream, and nothing else', () => {
    expect(isAuthorizedPublish(ON_PUBLISH, ['other', 's3cret-key'])).toBe(true);
    expect(isAuthorizedPublish(ON_PUBLISH, ['cam1=s3cret-key'])).toBe(true);
    expect(isAuthorizedPublish(ON_PUBLISH, ['cam2=s3cret-key'])).toBe(false);
    expect(isAuthorizedPublish({ stream: 'cam1', param: '' }, ['s3cret-key'])).toBe(false);
    expect(isAuthorizedPublish({ stream: 'cam1', param: '?key=s3cret' }, ['s3cret-key'])).toBe(false);
    expect(isAuthorizedPublish(ON_PUBLISH, [])).toBe(false);
  });
});

describe('taskForPublish', () => {
  it('makes a valid live task pulling the stream from SRS into its own prefix', () => {
    const spec = taskForPublish(ON_PUBLISH, {
      inputBaseUrl: 'rtmp://srs.internal:1935/',
      ladder: ['480p'],
      segmentSec: 2,
      dvrWindowSec: 20,
      outputPrefix: 'live/{app}/{stream}',
    });
    expect(spec).toMatchObject({
      id: 'srs-live-cam1',
      input: 'rtmp://srs.internal:1935/live/cam1',
      mode: 'live',
      outputPrefix: 'live/live/cam1',
    });
    expect(parseTaskSpec(spec).ok).toBe(true);
  });

  it('derives task ids that the id rules accept', () => {
    expect(taskIdForStream('live', 'my.stream')).toBe('srs-live-my_stream');
    expect(taskIdForStream('a'.repeat(80), 'b')).toHaveLength(64);
  });
});
