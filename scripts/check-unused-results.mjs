// Fails when a neverthrow Result or ResultAsync is dropped on the floor: an expression
// statement (awaited or not) whose value is a Result and that is not explicitly `void`ed.
// Biome's type inference cannot see through neverthrow's classes, so this is our
// equivalent of eslint-plugin-neverthrow's must-use-result.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const roots = ['packages', 'examples'];
const projects = roots.flatMap((root) =>
  existsSync(root)
    ? readdirSync(root)
        .map((name) => join(root, name, 'tsconfig.json'))
        .filter((path) => existsSync(path))
    : [],
);
if (existsSync('bench/tsconfig.json')) projects.push('bench/tsconfig.json');

const isResultType = (type) => {
  const name = (type.aliasSymbol ?? type.getSymbol())?.getName();
  if (name === 'Result' || name === 'ResultAsync' || name === 'Ok' || name === 'Err') return true;
  return type.isUnion() && type.types.every((member) => isResultType(member));
};

const isAssignment = (expression) =>
  ts.isBinaryExpression(expression) &&
  expression.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
  expression.operatorToken.kind <= ts.SyntaxKind.LastAssignment;

const problems = [];
for (const project of projects) {
  const config = ts.getParsedCommandLineOfConfigFile(
    project,
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic() {} },
  );
  if (!config) continue;
  const program = ts.createProgram(config.fileNames, config.options);
  const checker = program.getTypeChecker();
  for (const file of program.getSourceFiles()) {
    if (file.isDeclarationFile || file.fileName.includes('node_modules')) continue;
    const visit = (node) => {
      if (
        ts.isExpressionStatement(node) &&
        !ts.isVoidExpression(node.expression) &&
        !isAssignment(node.expression)
      ) {
        const expression = node.expression;
        let type = checker.getTypeAtLocation(expression);
        if (ts.isAwaitExpression(expression)) type = checker.getAwaitedType(type) ?? type;
        if (isResultType(type)) {
          const { line, character } = file.getLineAndCharacterOfPosition(node.getStart());
          problems.push(
            `${file.fileName}:${line + 1}:${character + 1} a Result is ignored: handle it (match, isErr, andThen…) or write \`void\` to drop it on purpose`,
          );
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
}
for (const problem of [...new Set(problems)]) console.error(problem);
if (problems.length > 0) process.exit(1);
console.log(`check-unused-results: ${projects.length} projects, no ignored Results`);
