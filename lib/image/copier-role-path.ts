/**
 * The IAM path of every copier role the library creates. Repositories deny pushes to all other
 * principals by this path (`aws:PrincipalArn` includes it), which lets stacks that share a
 * repository push without referencing each other's roles (that would be a cross-stack cycle).
 */
export const COPIER_ROLE_PATH = '/cdk-container-function/';
