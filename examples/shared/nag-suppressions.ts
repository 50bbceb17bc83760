import { Stack } from 'aws-cdk-lib';
import { NagSuppressions } from 'cdk-nag';

/**
 * Reasons for the AwsSolutions findings on resources that aws-cdk-lib and cdk-container-function
 * create for every container function. Each example adds its own for its own resources.
 */
export function suppressLibraryFindings(stack: Stack): void {
  NagSuppressions.addStackSuppressions(stack, [
    {
      id: 'AwsSolutions-IAM4',
      reason: 'AWSLambdaBasicExecutionRole only lets Lambda write its own logs; it is what aws-cdk-lib attaches to function and custom resource roles.',
      appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
    },
    {
      id: 'AwsSolutions-IAM5',
      reason: 'ecr:GetAuthorizationToken has no resource-level permissions, and the copy function writes logs to /aws/lambda/* because its name is generated.',
      appliesTo: ['Resource::*', 'Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/lambda/*'],
    },
  ]);
}
