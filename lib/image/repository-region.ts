import { Stack, Token, aws_ecr as ecr } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { invalidInput } from '../errors';

/**
 * Lambda pulls an image only from a repository in the function's own region ("The Amazon ECR
 * repository must be in the same AWS Region as the function"). Another account is fine, once that
 * account's repository policy lets this account's functions (and the copier) in.
 * An env-agnostic stack or an imported repository without a region cannot be checked at synth.
 */
export function checkRepositoryRegion(path: string, scope: IConstruct, repository: ecr.IRepository, what: string): void {
  const functionRegion = Stack.of(scope).region;
  const repositoryRegion = repository.env.region;
  if (Token.isUnresolved(functionRegion) || Token.isUnresolved(repositoryRegion) || functionRegion === repositoryRegion) return;
  throw invalidInput(path, `${what} ${repository.node.path} is in region ${repositoryRegion}, but the function is in ${functionRegion}, and Lambda pulls images only from the function's own region`,
    `Use a repository in ${functionRegion} (replicate the image there with ECR replication), or deploy the function to ${repositoryRegion}.`);
}
