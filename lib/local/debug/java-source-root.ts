// Where a Java function's sources are on this machine. Its /var/task holds compiled classes (AWS's guide copies
// Maven's target/classes or Gradle's build/classes/java/main there), so a Java debugger is pointed at the build's
// source directory instead: src/main/java of the build context, the layout both Maven and Gradle use.
// @see https://docs.aws.amazon.com/lambda/latest/dg/java-image.html
import * as fs from 'fs';
import * as path from 'path';

/** `<context>/src/main/java` when it is a directory, else the task root's own local directory. */
export function javaSourceRoot(context: string, taskRoot: string): string {
  const conventional = path.join(context, 'src', 'main', 'java');
  return fs.statSync(conventional, { throwIfNoEntry: false })?.isDirectory() ? conventional : taskRoot;
}
