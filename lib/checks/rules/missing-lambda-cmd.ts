import { keywordOf, lineOf, showImage } from '../../dockerfile/parsed-dockerfile';
import { lambdaBaseImage } from '../lambda-base-image';
import { IImageRule, RuleFinding, RuleLevel } from '../rule';
import { ImageSubject } from '../subject';

/** CCF106: an AWS Lambda base image with no CMD: Lambda does not know the handler. */
export class MissingLambdaCmdRule implements IImageRule {
  public readonly id = 'CCF106';
  public readonly level = RuleLevel.ERROR;
  public readonly title = 'No CMD (handler) on an AWS Lambda base image';

  public check(subject: ImageSubject): RuleFinding[] {
    const dockerfile = subject._dockerfile();
    const final = dockerfile?.finalStage;
    if (!dockerfile || !final || (subject.cmd && subject.cmd.length > 0)) return [];
    const chain = dockerfile.chain(final);
    const root = chain[0].from;
    const reference = dockerfile.imageOf(root);
    const base = lambdaBaseImage(reference);
    // provided.* runs the bootstrap itself; the handler is optional there.
    if (!base || base.runtime === 'provided') return [];
    const keywords = chain.flatMap(s => s.instructions.map(keywordOf));
    if (keywords.includes('CMD') || keywords.includes('ENTRYPOINT')) return [];
    return [{
      message: `image FROM ${showImage(reference!)} has no CMD and no cmd in CDK props, so Lambda has no handler to run`,
      fix: 'add CMD ["<module>.<handler>"] (e.g. CMD ["app.handler"]) or pass cmd to the image code',
      line: lineOf(final.from),
    }];
  }
}
