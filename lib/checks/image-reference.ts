// Shared by the rules that read a function's image URI (CCF001, CCF002): its tag or digest, and how to show it.
import { StringConcat, Token, Tokenization } from 'aws-cdk-lib';

/** Tag and digest of an image URI; undefined when unresolved tokens hide them (`repo:${Token[…]}`). */
export function parseImageUri(uri: string): { tag?: string; digest?: string } | undefined {
  const at = uri.lastIndexOf('@');
  if (at > uri.lastIndexOf('/') && at >= 0) return { digest: uri.slice(at + 1) };
  const tail = uri.slice(uri.lastIndexOf('/') + 1);
  const colon = tail.lastIndexOf(':');
  if (colon < 0) return Token.isUnresolved(tail) || uri.lastIndexOf('/') < 0 ? undefined : {};
  const tag = tail.slice(colon + 1);
  return Token.isUnresolved(tag) ? undefined : { tag };
}

/** The URI as a message shows it: each unresolved token as `<token>`. */
export function showImageUri(uri: string): string {
  return Tokenization.reverseString(uri).mapTokens({ mapToken: () => '<token>' }).join(new StringConcat());
}
