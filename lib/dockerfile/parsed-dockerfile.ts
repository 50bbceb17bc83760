// Internal: a parsed Dockerfile (via dockerfile-ast) with the facts both the checks and the measurement read: its
// stages, the chain of stages one is built FROM, and FROM images with their variables expanded. The checks' rules also
// read its instructions through the helpers below; custom rules read the same through checks/dockerfile-outline.ts.
import { DockerfileParser, Dockerfile, From, Instruction } from 'dockerfile-ast';

/** One build stage: its FROM and the instructions up to the next FROM. */
export interface Stage {
  readonly index: number;
  readonly from: From;
  /** `AS name`, lower-cased. */
  readonly name?: string;
  readonly instructions: Instruction[];
  /** The earlier stage this one is built `FROM`, if any. */
  readonly parent?: Stage;
}

/** A `# ccf-ignore=CCF101,CCF103 reason` comment and the lines of the instruction it covers. */
export interface Pragma {
  readonly line: number;
  readonly ruleIds: string[];
  readonly reason: string;
  /** First and last line (1-based) of the next instruction; 0 when none follows. */
  readonly coversFrom: number;
  readonly coversTo: number;
}

const PRAGMA = /^ccf-ignore\s*=\s*(\S+)\s*(.*)$/i;

export class ParsedDockerfile {
  /** Parses a Dockerfile; `buildArgs` (from CDK) override ARG defaults when FROM images are expanded. */
  public static parse(text: string, buildArgs?: { [key: string]: string }): ParsedDockerfile {
    return new ParsedDockerfile(text, DockerfileParser.parse(text), buildArgs ?? {});
  }

  public readonly stages: Stage[];
  public readonly pragmas: Pragma[];
  /** Instructions before the first FROM (global ARGs). */
  public readonly preamble: Instruction[];
  public readonly lineCount: number;

  private constructor(public readonly text: string, public readonly ast: Dockerfile, private readonly buildArgs: { [key: string]: string }) {
    this.lineCount = text.split(/\r\n|\r|\n/).length;
    this.stages = [];
    this.preamble = [];
    let current: { index: number; from: From; name?: string; instructions: Instruction[]; parent?: Stage } | undefined;
    for (const instruction of ast.getInstructions()) {
      if (instruction instanceof From) {
        const name = instruction.getBuildStage()?.toLowerCase() ?? undefined;
        const image = instruction.getImageName()?.toLowerCase();
        const parent = image ? [...this.stages].reverse().find(s => s.name === image) : undefined;
        current = { index: this.stages.length, from: instruction, name, instructions: [], parent };
        this.stages.push(current);
      } else if (current) {
        current.instructions.push(instruction);
      } else {
        this.preamble.push(instruction);
      }
    }
    this.pragmas = this.parsePragmas();
  }

  /** Every instruction with `keyword` (e.g. 'RUN'), across all stages, in file order. */
  public instructionsOf(keyword: string): Instruction[] {
    return this.stages.flatMap(stage => stage.instructions.filter(instruction => keywordOf(instruction) === keyword));
  }

  /** The stage the image is made of (the last one). */
  public get finalStage(): Stage | undefined {
    return this.stages[this.stages.length - 1];
  }

  /** The stage and the stages it inherits from, root first. */
  public chain(stage: Stage): Stage[] {
    const result: Stage[] = [];
    for (let s: Stage | undefined = stage; s; s = s.parent) result.unshift(s);
    return result;
  }

  /** True when `image` names an earlier stage (so `FROM image` is not a registry image). */
  public isStageName(image: string, before: number): boolean {
    const lower = image.toLowerCase();
    return this.stages.some(s => s.index < before && s.name === lower);
  }

  /**
   * The image of a FROM, with `$VAR`/`${VAR}` replaced by the CDK build arg or the ARG default
   * (variables without a value stay as written).
   */
  public imageOf(from: From): ImageReference | undefined {
    const image = from.getImage();
    if (!image) return undefined;
    const line = from.getRange().start.line;
    const expanded = image.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (all, braced?: string, bare?: string) => {
      const name = (braced ?? bare)!;
      const fromCdk = this.buildArgs[name];
      if (typeof fromCdk === 'string') return fromCdk;
      const value = this.ast.resolveVariable(name, line);
      return typeof value === 'string' ? value : all;
    });
    return parseImageReference(expanded, image);
  }

  private parsePragmas(): Pragma[] {
    const instructions = this.ast.getInstructions();
    const lines = this.text.split(/\r\n|\r|\n/);
    // At the top of the file `# ccf-ignore=…` has the shape of a parser directive, so read both.
    const commentLines = [...this.ast.getComments(), ...this.ast.getDirectives()].map(c => c.getRange().start.line);
    const pragmas: Pragma[] = [];
    for (const line of [...new Set(commentLines)].sort((a, b) => a - b)) {
      const match = PRAGMA.exec((lines[line] ?? '').replace(/^\s*#\s*/, '').trim());
      if (!match) continue;
      const next = instructions.find(i => i.getRange().start.line > line);
      pragmas.push({
        line: line + 1,
        ruleIds: match[1].split(',').map(id => id.trim().toUpperCase()).filter(id => id.length > 0),
        reason: match[2].trim(),
        coversFrom: next ? next.getRange().start.line + 1 : 0,
        coversTo: next ? next.getRange().end.line + 1 : 0,
      });
    }
    return pragmas;
  }
}

// dockerfile-ast recomputes ranges, arguments and flags on every call; rules ask many times,
// so each instruction is read once.
export interface InstructionFacts {
  readonly line: number;
  readonly keyword: string;
  readonly jsonForm: boolean;
  readonly operands: string[];
  readonly flags: Array<{ name: string; value: string }>;
}

const FACTS = new WeakMap<Instruction, InstructionFacts>();

/** What the rules read of an instruction, read once. */
export function factsOfInstruction(instruction: Instruction): InstructionFacts {
  let facts = FACTS.get(instruction);
  if (!facts) {
    const json = instruction as unknown as { getOpeningBracket?: () => unknown; getJSONStrings?: () => Array<{ getJSONValue(): string }> };
    const jsonStrings = typeof json.getJSONStrings === 'function' ? json.getJSONStrings() : [];
    const jsonForm = typeof json.getOpeningBracket === 'function' && json.getOpeningBracket() !== null && jsonStrings.length > 0;
    const withFlags = instruction as unknown as { getFlags?: () => Array<{ getName(): string; getValue(): string | null }> };
    facts = {
      line: instruction.getRange().start.line + 1,
      keyword: instruction.getKeyword().toUpperCase(),
      jsonForm,
      operands: jsonForm ? jsonStrings.map(j => j.getJSONValue()) : instruction.getArguments().map(a => a.getValue()),
      flags: typeof withFlags.getFlags === 'function'
        ? withFlags.getFlags().map(f => ({ name: f.getName().toLowerCase(), value: f.getValue() ?? '' })) : [],
    };
    FACTS.set(instruction, facts);
  }
  return facts;
}

/** 1-based line where an instruction starts. */
export function lineOf(instruction: Instruction): number {
  return factsOfInstruction(instruction).line;
}

/** Upper-case keyword (`RUN`, `COPY`, …). */
export function keywordOf(instruction: Instruction): string {
  return factsOfInstruction(instruction).keyword;
}

/** True when the instruction is written in exec (JSON array) form. */
export function isJsonForm(instruction: Instruction): boolean {
  return factsOfInstruction(instruction).jsonForm;
}

/** The instruction's operands: JSON strings in exec form, else shell words (flags excluded). */
export function operands(instruction: Instruction): string[] {
  return factsOfInstruction(instruction).operands;
}

/** The instruction's operands as one string. */
export function argumentText(instruction: Instruction): string {
  return operands(instruction).join(' ');
}

/** Values of `--name=value` flags (RUN --mount, COPY --from, ADD --checksum, FROM --platform). */
export function flagValues(instruction: Instruction, name: string): string[] {
  return factsOfInstruction(instruction).flags.filter(f => f.name === name).map(f => f.value);
}

/** True for http(s)/git sources that ADD would download. */
export function isRemoteSource(source: string): boolean {
  return /^(https?|git|ssh):\/\//i.test(source) || /^git@/i.test(source);
}

/** Source operands of COPY/ADD (all arguments but the destination), without heredocs. */
export function copySources(instruction: Instruction): string[] {
  const args = operands(instruction);
  if (args.length < 2) return [];
  return args.slice(0, -1).filter(a => !a.startsWith('<<'));
}

/** Name (registry included), tag and digest of a FROM image reference. */
export interface ImageReference {
  readonly name: string;
  readonly tag?: string;
  readonly digest?: string;
  /** The reference as written in the Dockerfile (before variables were expanded). */
  readonly written: string;
  /** The reference after variables were expanded. */
  readonly expanded: string;
}

/** The reference as written, with its expansion when variables changed it: `python:${V} (= python:3.9)`. */
export function showImage(reference: ImageReference): string {
  return reference.written === reference.expanded ? reference.written : `${reference.written} (= ${reference.expanded})`;
}

/** Splits an image reference into name, tag and digest (`host:5000/a/b:1.2@sha256:…`). */
export function parseImageReference(image: string, written: string = image): ImageReference {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const withoutDigest = at >= 0 ? image.slice(0, at) : image;
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  if (colon > slash) return { name: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1), digest, written, expanded: image };
  return { name: withoutDigest, digest, written, expanded: image };
}
