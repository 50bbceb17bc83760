// Internal: the checks' view of lib/secrets.ts, the one definition of what a credential looks like and how it is hidden
// (the construct refuses credential-looking build args with the same code).
export {
  findCredentialBuildArgs,
  hasAwsAccessKey,
  hasUrlCredentials,
  isSecretName,
  redactAssignment,
  redactSecrets,
  redactUrlCredentials,
  secretAssignments,
} from '../secrets';
