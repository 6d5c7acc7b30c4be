import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fixtureBytes } from '../../../test/support/files.ts';
import { pngOfSize } from '../../../test/support/png.ts';
import { imageDimensions, isEvidence } from './image-size.ts';

describe('image dimensions from the header bytes', () => {
  test('PNG (IHDR)', () => {
    assert.deepEqual(imageDimensions(pngOfSize(1, 1)), { width: 1, height: 1 });
    assert.deepEqual(imageDimensions(pngOfSize(640, 480)), { width: 640, height: 480 });
  });

  test('the fixture photos: JPEG (SOF), progressive JPEG, WebP, GIF, HEIC (ispe) and the PNG screenshot', () => {
    for (const name of [
      'photo-gps.jpg',
      'photo-progressive.jpg',
      'photo-exif.webp',
      'animation.gif',
      'photo.heic',
      'screenshot-text.png',
    ]) {
      const pixels = imageDimensions(fixtureBytes(name));
      assert.ok(pixels && pixels.width > 0 && pixels.height > 0, `${name}: ${JSON.stringify(pixels)}`);
    }
  });

  test('anything else, or a header cut short, is unknown', () => {
    assert.equal(imageDimensions(fixtureBytes('document.pdf')), null);
    assert.equal(imageDimensions(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00])), null);
    assert.equal(imageDimensions(pngOfSize(640, 480).subarray(0, 20)), null);
    assert.equal(imageDimensions(new Uint8Array(0)), null);
  });
});

describe('what counts as evidence', () => {
  test('a 1 × 1 picture is not evidence; a 640 × 480 photo, either way round, and a document are', () => {
    assert.equal(isEvidence({ mediaType: 'image/png', pixels: imageDimensions(pngOfSize(1, 1)) }), false);
    assert.equal(isEvidence({ mediaType: 'image/png', pixels: imageDimensions(pngOfSize(640, 480)) }), true);
    assert.equal(isEvidence({ mediaType: 'image/jpeg', pixels: { width: 240, height: 320 } }), true);
    assert.equal(isEvidence({ mediaType: 'image/jpeg', pixels: { width: 319, height: 240 } }), false);
    assert.equal(isEvidence({ mediaType: 'application/pdf', pixels: null }), true);
    assert.equal(isEvidence({ mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', pixels: null }), true);
  });

  test('a picture whose size cannot be read is not evidence', () => {
    assert.equal(isEvidence({ mediaType: 'image/heic', pixels: null }), false);
  });
});
