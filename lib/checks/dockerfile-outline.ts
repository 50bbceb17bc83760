// The parsed Dockerfile as public data, for custom rules: the same parse (dockerfile-ast) and the same FROM expansion
// the built-in rules read, without dockerfile-ast's types (jsii cannot expose them).
import { Instruction } from 'dockerfile-ast';
import { ParsedDockerfile, Stage, factsOfInstruction } from '../dockerfile/parsed-dockerfile';

/** A `--name=value` flag of an instruction (`RUN --mount=…`, `COPY --from=…`, `FROM --platform=…`). */
export interface DockerfileFlag {
  /** The flag's name, lower-cased, without the dashes. */
  readonly name: string;
  /** Its value (empty for a flag without one). */
  readonly value: string;
}

/** One instruction of a Dockerfile. */
export interface DockerfileInstruction {
  /** Upper-case keyword: `FROM`, `RUN`, `COPY`, … */
  readonly keyword: string;
  /** 1-based line where the instruction starts. */
  readonly line: number;
  /** 1-based line where it ends (continuation lines included). */
  readonly lastLine: number;
  /** The operands: the strings of the exec (JSON) form, else the shell words; flags left out. */
  readonly operands: string[];
  /** True when the instruction is written in exec (JSON array) form. */
  readonly execForm: boolean;
  /** Its flags, in order. */
  readonly flags: DockerfileFlag[];
}

/** One build stage: its `FROM` and the instructions up to the next one. */
export interface DockerfileStage {
  /** 0-based position among the stages. */
  readonly index: number;
  /**
   * `AS name`, lower-cased.
   * @default - an unnamed stage
   */
  readonly name?: string;
  /** The stage's `FROM` instruction. */
  readonly from: DockerfileInstruction;
  /**
   * The `FROM` image with variables expanded (CDK build args first, then ARG defaults), e.g.
   * `public.ecr.aws/lambda/python:3.12`; a variable without a value stays as written.
   * @default - a FROM without an image
   */
  readonly image?: string;
  /**
   * The `FROM` image as written, e.g. `public.ecr.aws/lambda/python:${PYTHON}`.
   * @default - a FROM without an image
   */
  readonly imageAsWritten?: string;
  /**
   * The index of the earlier stage this one is built `FROM`.
   * @default - built from an image, not a stage
   */
  readonly parentIndex?: number;
  /** The instructions after `FROM`, up to the next stage. */
  readonly instructions: DockerfileInstruction[];
}

/** A parsed Dockerfile: its stages (the last one is the image) and the instructions before the first `FROM`. */
export interface DockerfileOutline {
  /** Instructions before the first `FROM` (global ARGs). */
  readonly preamble: DockerfileInstruction[];
  /** The build stages, in file order; the last is the one the image is made of (unless a target is built). */
  readonly stages: DockerfileStage[];
}

/** The outline of a parsed Dockerfile. */
export function outlineOf(parsed: ParsedDockerfile): DockerfileOutline {
  return { preamble: parsed.preamble.map(instructionOf), stages: parsed.stages.map(stage => stageOf(parsed, stage)) };
}

function stageOf(parsed: ParsedDockerfile, stage: Stage): DockerfileStage {
  const image = parsed.imageOf(stage.from);
  return {
    index: stage.index,
    name: stage.name,
    from: instructionOf(stage.from),
    image: image?.expanded,
    imageAsWritten: image?.written,
    parentIndex: stage.parent?.index,
    instructions: stage.instructions.map(instructionOf),
  };
}

function instructionOf(instruction: Instruction): DockerfileInstruction {
  const facts = factsOfInstruction(instruction);
  return {
    keyword: facts.keyword,
    line: facts.line,
    lastLine: instruction.getRange().end.line + 1,
    operands: [...facts.operands],
    execForm: facts.jsonForm,
    flags: facts.flags.map(f => ({ name: f.name, value: f.value })),
  };
}
