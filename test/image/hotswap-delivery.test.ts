import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { ContainerFunction, ContainerImage, ImageTag } from '../../lib';
import { HOTSWAP_CONTEXT_KEY, HOTSWAP_DELIVERY_WARNING } from '../../lib/image/hotswap-delivery';
import { TempGitRepo, functionFiles, withoutCiShaVariables } from '../support/git-repo';

withoutCiShaVariables();

let repo: TempGitRepo;
beforeAll(() => { repo = TempGitRepo.create({ ...functionFiles('fn') }); });
afterAll(() => repo.remove());

function synth(context: { [key: string]: unknown }) {
  const stack = new Stack(new App({ context }), 'S');
  const fn = new ContainerFunction(stack, 'Fn', { image: ContainerImage.fromDockerfile(repo.path('fn')), tag: ImageTag.of('1.0.0') });
  return { stack, fn, t: Template.fromStack(stack) };
}

describe(`development delivery (-c ${HOTSWAP_CONTEXT_KEY}=true)`, () => {
  test.each([true, 'true'])('context %p: the function runs the published asset; the copy stays in the template, unreferenced', (value) => {
    const { stack, fn, t } = synth({ [HOTSWAP_CONTEXT_KEY]: value });
    expect(fn.imageUri).toBe(fn.imageAsset!.imageUri);
    expect(fn.imageTag).toBe(fn.imageAsset!.assetHash);
    const fnResource = Object.values(t.findResources('AWS::Lambda::Function', { Properties: { PackageType: 'Image' } }))[0] as any;
    expect(stack.resolve(fn.imageAsset!.imageUri)).toEqual(fnResource.Properties.Code.ImageUri);
    const copies = Object.keys(t.findResources('Custom::CDKECRDeployment'));
    expect(copies).toHaveLength(1);
    expect(JSON.stringify(fnResource)).not.toContain(copies[0]);
    Annotations.fromStack(stack).hasWarning('/S', Match.stringLikeRegexp(`${HOTSWAP_DELIVERY_WARNING}|cdk deploy --hotswap`));
  });

  test.each([undefined, false, 'false'])('context %p: the function runs its copied tag', (value) => {
    const { fn } = synth(value === undefined ? {} : { [HOTSWAP_CONTEXT_KEY]: value });
    expect(fn.imageTag).toBe(`1.0.0-${fn.imageAsset!.assetHash}`);
    expect(fn.imageUri).not.toBe(fn.imageAsset!.imageUri);
  });

  test('any other value is refused with the two valid forms', () => {
    expect(() => synth({ [HOTSWAP_CONTEXT_KEY]: 'yes' })).toThrow(
      `S/Fn: context '${HOTSWAP_CONTEXT_KEY}' is "yes". Pass -c ${HOTSWAP_CONTEXT_KEY}=true (cdk watch, cdk deploy --hotswap) or leave it out (every other deploy).`);
  });
});
