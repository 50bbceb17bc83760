// Which Dockerfile line made each entry of an image's history. BuildKit leaves every layer id `<missing>` in
// `docker history`, so ids cannot be matched; what is there is the order of the entries and the instruction text
// (`RUN |1 A=b /bin/sh -c … # buildkit`, `COPY x /y # buildkit`, `ENV K=v`; the legacy builder writes
// `/bin/sh -c #(nop)  CMD …` and `/bin/sh -c …` for RUN). The built stage's chain of instructions is matched
// against the newest entries by keyword, from the end; older entries belong to the base image.
import { ParsedDockerfile } from '../dockerfile/parsed-dockerfile';

/** One instruction of the stages the image is made of. */
export interface BuiltInstruction {
  readonly keyword: string;
  /** 1-based line where the instruction starts. */
  readonly line: number;
  /** Stage name (`AS name`), if any. */
  readonly stage?: string;
  /** The arguments, flags left out and whitespace collapsed, to tell two RUN steps apart. */
  readonly text?: string;
}

export interface BuildPlan {
  /** Instructions that add history entries to the image: the built stage and the stages it is `FROM`, in order. */
  readonly instructions: BuiltInstruction[];
  /** The image the chain starts `FROM` (variables expanded), e.g. `public.ecr.aws/lambda/python:3.12`, or `scratch`. */
  readonly baseImage?: string;
}

/** The build plan of a Dockerfile for a target stage (the last stage without one). */
export function buildPlanOf(dockerfileText: string, options: { buildArgs?: { [key: string]: string }; target?: string } = {}): BuildPlan {
  // The same stages, chains and FROM expansion as the checks read (lib/dockerfile/parsed-dockerfile.ts).
  const dockerfile = ParsedDockerfile.parse(dockerfileText, options.buildArgs);
  const wanted = options.target?.toLowerCase();
  const built = (wanted !== undefined ? dockerfile.stages.find(s => s.name === wanted) : undefined) ?? dockerfile.finalStage;
  if (!built) return { instructions: [] };
  const chain = dockerfile.chain(built);
  const instructions = chain.flatMap(stage => stage.instructions.map(instruction => ({
    keyword: instruction.getKeyword().toUpperCase(),
    line: instruction.getRange().start.line + 1,
    stage: stage.name,
    text: normalizeArguments(instruction.getArgumentsContent() ?? ''),
  })));
  return { instructions, baseImage: dockerfile.imageOf(chain[0].from)?.expanded };
}

/** The Dockerfile keyword an entry of `docker history` was made by, or undefined when the text does not say. */
export function historyKeyword(createdBy: string): string | undefined {
  let text = createdBy.trim();
  const nop = /^\/bin\/sh -c #\(nop\)\s+/.exec(text);
  if (nop) text = text.slice(nop[0].length);
  else if (/^(\|\d+ .*)?\/bin\/sh -c /.test(text) || /^\|\d+ /.test(text)) return 'RUN'; // legacy builder's RUN
  const word = /^([A-Za-z]+)(\s|$)/.exec(text)?.[1].toUpperCase();
  return word && KEYWORDS.has(word) ? word : undefined;
}

/**
 * For each history entry (oldest first), the instruction that made it: the alignment of entries and instructions (in
 * order) that matches the most keywords, preferring entries whose text is the instruction's (two RUN steps), and,
 * among equals, the newest entries (base entries come first). An entry with no instruction (ONBUILD triggers of a
 * base, an unreadable text) stays unattributed; so does an instruction without an entry.
 */
export function attributeHistory(createdBy: string[], instructions: BuiltInstruction[]): (BuiltInstruction | undefined)[] {
  const n = createdBy.length;
  const m = instructions.length;
  const keywords = createdBy.map(historyKeyword);
  const texts = createdBy.map(c => normalizeArguments(instructionText(c).replace(/^\S+\s*/, '')));
  const weight = (h: number, i: number) => keywords[h] !== instructions[i].keyword ? 0
    : instructions[i].text !== undefined && instructions[i].text === texts[h] ? 3 : 2;
  // best[h][i]: best score aligning the first h entries with the first i instructions.
  const best: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let h = 1; h <= n; h++) {
    for (let i = 1; i <= m; i++) {
      const w = weight(h - 1, i - 1);
      best[h][i] = Math.max(best[h - 1][i], best[h][i - 1], w > 0 ? best[h - 1][i - 1] + w : 0);
    }
  }
  const result: (BuiltInstruction | undefined)[] = createdBy.map(() => undefined);
  for (let h = n, i = m; h > 0 && i > 0;) {
    const w = weight(h - 1, i - 1);
    if (w > 0 && best[h][i] === best[h - 1][i - 1] + w) {
      result[h - 1] = instructions[i - 1];
      h--;
      i--;
    } else if (best[h][i] === best[h][i - 1]) {
      i--; // this instruction left no entry
    } else {
      h--; // this entry came from no instruction of ours
    }
  }
  return result;
}

/** Shows a history entry's text the way it was written: without BuildKit's marker, the ARG prefix and `#(nop)`. */
export function instructionText(createdBy: string): string {
  let text = createdBy.trim().replace(/\s+# buildkit$/, '').replace(/^\/bin\/sh -c #\(nop\)\s+/, '');
  text = text.replace(/^RUN \|\d+(?: [^ =]+=\S*)* /, 'RUN ').replace(/^\|\d+(?: [^ =]+=\S*)* /, '');
  if (text.startsWith('RUN /bin/sh -c ')) text = `RUN ${text.slice('RUN /bin/sh -c '.length)}`;
  else if (text.startsWith('/bin/sh -c ')) text = `RUN ${text.slice('/bin/sh -c '.length)}`;
  return text;
}

/** `--from=build  /a \\\n /b` → `/a /b`: BuildKit records instructions without their flags. */
function normalizeArguments(text: string): string {
  return text.replace(/\\\r?\n/g, ' ').split(/\s+/).filter(t => t && !/^--[a-z-]+(=|$)/.test(t)).join(' ');
}

const KEYWORDS = new Set(['ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'HEALTHCHECK', 'LABEL', 'MAINTAINER',
  'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR']);
