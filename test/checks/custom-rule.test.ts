import { Size } from 'aws-cdk-lib';
import { Reported, newStack, tempDir } from './helpers';
import {
  ContainerFunction, ContainerImage, ContainerImageChecks, DockerfileOutline, IImageRule, ImageSubject, ImageTag, MeasuredImage, RuleFinding,
  RuleLevel, SubjectKind,
} from '../../lib';
import { ImageMeasurement } from '../../lib/measure/measurement';

// A user's own rule reads what the built-in rules read, through the public API only: the parsed Dockerfile (stages,
// FROM images expanded with the build args, instructions with their lines), the size estimate and the measurement.

/** ACME001: the image must be built FROM the company's registry; a build stage may come from anywhere. */
class CompanyBaseRule implements IImageRule {
  public readonly id = 'ACME001';
  public readonly level = RuleLevel.WARNING;
  public readonly title = 'Image not built FROM the company registry';
  public readonly seen: { outline?: DockerfileOutline; estimate?: number; measurement?: MeasuredImage }[] = [];

  public check(subject: ImageSubject): RuleFinding[] {
    const outline = subject.parsedDockerfile();
    this.seen.push({ outline, estimate: subject.estimatedSizeBytes(), measurement: subject.measurement() });
    const final = outline?.stages[outline.stages.length - 1];
    if (!final) return [];
    // Follow the final stage back to the stage that starts FROM an image.
    let root = final;
    while (root.parentIndex !== undefined) root = outline!.stages[root.parentIndex];
    if (root.image?.startsWith('registry.acme.example/')) return [];
    const copies = final.instructions.filter(i => i.keyword === 'COPY').length;
    return [{
      message: `the image starts FROM ${root.imageAsWritten} (= ${root.image}), not the company registry; its final stage has ${copies} COPY`,
      fix: 'build FROM registry.acme.example/lambda-python',
      line: root.from.line,
    }];
  }
}

const DOCKERFILE = [
  'ARG BASE=public.ecr.aws/lambda/python:3.12', // 1
  'FROM ${BASE} AS runtime', //                    2
  'COPY --chmod=644 app.py ${LAMBDA_TASK_ROOT}/', // 3
  'FROM runtime', //                               4
  'COPY data.bin ${LAMBDA_TASK_ROOT}/', //         5
  'CMD ["app.handler"]', //                        6
  '',
].join('\n');

test('a custom rule reads the parsed Dockerfile, with FROM expanded by the build args, and the estimate', () => {
  const context = tempDir({ 'Dockerfile': DOCKERFILE, 'app.py': 'def handler(e, c):\n    return 1\n', 'data.bin': 2 * 1024 * 1024 });
  const rule = new CompanyBaseRule();
  const { app, stack } = newStack();
  new ContainerFunction(stack, 'Fn', {
    image: ContainerImage.fromDockerfile(context, { buildArgs: { BASE: 'public.ecr.aws/lambda/python:3.13' } }),
    tag: ImageTag.of('1.0.0'),
    maxImageSize: Size.mebibytes(100),
  });
  ContainerImageChecks.applyTo(app, { rules: [rule] });
  const reported = Reported.of(stack);

  expect(reported.messages('warning', 'ACME001')).toEqual([
    expect.stringMatching(/^ACME001 .*Dockerfile:2: the image starts FROM \$\{BASE\} \(= public\.ecr\.aws\/lambda\/python:3\.13\), not the company registry; its final stage has 1 COPY/),
  ]);
  const [{ outline, estimate, measurement }] = rule.seen;
  expect(outline!.preamble.map(i => [i.keyword, i.line, i.operands])).toEqual([['ARG', 1, ['BASE=public.ecr.aws/lambda/python:3.12']]]);
  expect(outline!.stages.map(s => [s.index, s.name, s.parentIndex, s.from.line, s.image])).toEqual([
    [0, 'runtime', undefined, 2, 'public.ecr.aws/lambda/python:3.13'],
    [1, undefined, 0, 4, 'runtime'],
  ]);
  expect(outline!.stages[0].instructions[0]).toEqual({
    keyword: 'COPY', line: 3, lastLine: 3, operands: ['app.py', '${LAMBDA_TASK_ROOT}/'], execForm: false, flags: [{ name: 'chmod', value: '644' }],
  });
  expect(outline!.stages[1].instructions[1]).toEqual(expect.objectContaining({ keyword: 'CMD', line: 6, operands: ['app.handler'], execForm: true }));
  // The lower bound the size rules use: at least the 2 MiB file the final stage copies.
  expect(estimate).toBeGreaterThanOrEqual(2 * 1024 * 1024);
  expect(measurement).toBeUndefined();
});

test('the built-in rules and a custom rule see one parse: the outline is the same object on every call', () => {
  const subject = new ImageSubject({ kind: SubjectKind.FUNCTION, construct: newStack().stack, dockerfileText: DOCKERFILE });
  expect(subject.parsedDockerfile()).toBe(subject.parsedDockerfile());
  expect(subject.parsedDockerfile()!.stages).toHaveLength(subject._dockerfile()!.stages.length);
  expect(new ImageSubject({ kind: SubjectKind.FUNCTION, construct: newStack().stack }).parsedDockerfile()).toBeUndefined();
});

test('a measured image reaches a custom rule as public data', () => {
  const subject = new ImageSubject({ kind: SubjectKind.FUNCTION, construct: newStack().stack, dockerfileText: DOCKERFILE });
  const record: ImageMeasurement = {
    version: 1,
    imageId: 'sha256:1',
    sizeBytes: 300,
    baseImage: 'public.ecr.aws/lambda/python:3.13',
    baseBytes: 100,
    ownBytes: 200,
    reclaimableBytes: 0,
    layers: [{ sizeBytes: 200, instruction: 'COPY data.bin /var/task/', line: 5, base: false, reclaimableBytes: 0 }],
    measuredAt: '2026-01-01T00:00:00Z',
  };
  subject._useMeasurement(record);
  const measured: MeasuredImage | undefined = subject.measurement();
  expect(measured?.layers[0]).toEqual(expect.objectContaining({ line: 5, sizeBytes: 200 }));
  expect(measured?.ownBytes).toBe(200);
});
