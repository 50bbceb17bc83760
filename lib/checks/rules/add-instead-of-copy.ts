import { copySources, flagValues, isRemoteSource, lineOf } from '../../dockerfile/parsed-dockerfile';
import { redactUrlCredentials } from '../redact';
import { IImageRule, RuleFinding, RuleLevel } from '../rule';
import { ImageSubject } from '../subject';

const ARCHIVE = /\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst)$/i;

/** CCF105: ADD where COPY would do, or ADD of a URL without a checksum. */
export class AddInsteadOfCopyRule implements IImageRule {
  public readonly id = 'CCF105';
  public readonly level = RuleLevel.WARNING;
  public readonly title = 'ADD where COPY would do, or ADD of a URL';

  public check(subject: ImageSubject): RuleFinding[] {
    const dockerfile = subject._dockerfile();
    if (!dockerfile) return [];
    const findings: RuleFinding[] = [];
    for (const instruction of dockerfile.instructionsOf('ADD')) {
      const sources = copySources(instruction);
      const remote = sources.filter(isRemoteSource);
      if (remote.length > 0) {
        if (flagValues(instruction, 'checksum').length > 0) continue;
        findings.push({
          message: `ADD ${redactUrlCredentials(remote[0])} downloads at build time without verifying what it got`,
          fix: 'add --checksum=sha256:<digest>, or download in RUN with a checksum check (curl … && sha256sum -c)',
          line: lineOf(instruction),
        });
      } else if (sources.length > 0 && !sources.every(s => ARCHIVE.test(s) || s.includes('$'))) {
        findings.push({
          message: `ADD ${sources.join(' ')} copies local files; ADD's archive extraction and URL handling are not needed`,
          fix: 'use COPY for local files (keep ADD only to extract a local tar archive)',
          line: lineOf(instruction),
        });
      }
    }
    return findings;
  }
}
