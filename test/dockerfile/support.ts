import * as fs from 'fs';
import * as path from 'path';
import { DockerfileParser, From } from 'dockerfile-ast';
import { tempDir } from '../support/temp-dir';

/** Creates a temporary source directory from a map of relative path → content. */
export function sourceDir(files: { [rel: string]: string }): string {
  const dir = tempDir('ccf-unit-src-');
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
  return dir;
}

export interface ParsedStage {
  readonly name: string | undefined;
  readonly from: string;
  /** Instructions after FROM: keyword + raw text (continuations joined). */
  readonly instructions: { keyword: string; text: string; args: string }[];
}

/** Splits a Dockerfile into stages with dockerfile-ast (a real parser, not our own string handling). */
export function parseStages(dockerfile: string): ParsedStage[] {
  const doc = DockerfileParser.parse(dockerfile);
  const stages: { name: string | undefined; from: string; instructions: { keyword: string; text: string; args: string }[] }[] = [];
  for (const ins of doc.getInstructions()) {
    const keyword = ins.getKeyword();
    const text = ins.toString().replace(/\\\n\s*/g, '');
    const args = ins.getArguments().map(a => a.getValue()).join(' ');
    if (keyword === 'FROM') {
      const f = ins as From;
      stages.push({ name: f.getBuildStage() ?? undefined, from: f.getArguments()[0].getValue(), instructions: [] });
    } else {
      if (stages.length === 0) throw new Error(`instruction before FROM: ${text}`);
      stages[stages.length - 1].instructions.push({ keyword, text, args });
    }
  }
  return stages;
}

/** JSON-form arguments of an exec-form instruction (CMD/ENTRYPOINT), or undefined for shell form. */
export function execArgs(text: string): string[] | undefined {
  const m = /^(CMD|ENTRYPOINT)\s+(\[.*\])\s*$/s.exec(text);
  if (!m) return undefined;
  try {
    const v = JSON.parse(m[2]);
    return Array.isArray(v) && v.every(x => typeof x === 'string') ? v : undefined;
  } catch {
    return undefined;
  }
}
