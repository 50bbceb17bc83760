import { Stack } from 'aws-cdk-lib';
import fc from 'fast-check';
import { ImageSizeBudgetRule, ImageSubject, LambdaImageSizeLimitRule, SubjectKind } from '../lib/checks';
import { LAMBDA_IMAGE_SIZE_LIMIT_BYTES } from '../lib/lambda-facts';
import { markdownTable, reportEntry } from '../lib/measure/report';
import { formatSize, parseSize } from '../lib/size-format';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

// One formatter for findings, the measurement report, the CLI and the construct's errors: binary units, named so.
test.each([
  [0, '0 B'],
  [512, '512 B'],
  [1023, '1023 B'],
  [KiB, '1 KiB'],
  [1536, '1.5 KiB'],
  [921600, '900 KiB'],
  [MiB - 20, '1 MiB'], // 1023.98 KiB rounds to a whole MiB, not to "1024 KiB"
  [123456789, '117.7 MiB'],
  [150 * MiB, '150 MiB'],
  [10 * GiB, '10 GiB'],
  [11 * GiB, '11 GiB'],
  [2 ** 40, '1 TiB'],
])('formatSize(%d) = %s', (bytes, text) => {
  expect(formatSize(bytes)).toBe(text);
});

test('a size of one byte or more never reads as zero', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 2 ** 45 }), bytes => {
    expect(formatSize(bytes)).not.toMatch(/^0(\.0)? /);
  }));
});

test('parseSize reads binary units however they are spelled, and what formatSize writes', () => {
  expect(parseSize('500MB')).toBe(500 * MiB);
  expect(parseSize('500MiB')).toBe(500 * MiB);
  expect(parseSize('1.5 GiB')).toBe(1.5 * GiB);
  expect(parseSize('1TiB')).toBe(1024 * GiB);
  expect(parseSize(formatSize(123456789))).toBe(Math.round(117.7 * MiB));
  expect(() => parseSize('lots')).toThrow("'lots' is not a size. Write it like 500MiB, 1.5GiB or 1048576 (bytes).");
});

test('a finding and the report write the same size the same way', () => {
  const bytes = 123456789;
  const subject = new ImageSubject({ kind: SubjectKind.FUNCTION, construct: new Stack(), measuredSizeBytes: bytes, maxImageSizeBytes: 100 * MiB });
  const [finding] = new ImageSizeBudgetRule().check(subject);
  const table = markdownTable({
    version: 1,
    images: [reportEntry({
      functions: ['App/Fn'],
      assetHash: 'a'.repeat(64),
      budgetBytes: 100 * MiB,
      measurement: {
        version: 1, imageId: 'sha256:x', sizeBytes: bytes, baseImage: 'base', baseBytes: 0, ownBytes: bytes, reclaimableBytes: 0, layers: [], measuredAt: '2026-01-01T00:00:00Z',
      },
    })],
  });
  expect(finding.message).toBe('image measured 117.7 MiB is over its budget of 100 MiB');
  expect(table).toContain('| 117.7 MiB | 100 MiB |');
});

test("CCF011's title and message state Lambda's limit from the one fact", () => {
  const rule = new LambdaImageSizeLimitRule();
  expect(rule.title).toBe(`Image over Lambda's ${formatSize(LAMBDA_IMAGE_SIZE_LIMIT_BYTES)} image size limit`);
  expect(rule.title).toBe("Image over Lambda's 10 GiB image size limit");
  const subject = new ImageSubject({ kind: SubjectKind.FUNCTION, construct: new Stack(), measuredSizeBytes: LAMBDA_IMAGE_SIZE_LIMIT_BYTES + 1 });
  expect(rule.check(subject).map(f => f.message)).toEqual(["image measured 10 GiB is over Lambda's 10 GiB limit for container images"]);
});
