// Keeps every package's source graph acyclic, and core's layered, so that a module's
// dependencies read bottom-up and a change low down never needs a lazy import or a
// load-order trick. Run by `pnpm lint`.
// Fails (exit 1) on:
//
// 1. A cycle of relative imports (`import`/`export … from`, `import '…'`, `import('…')`,
//    type-only ones included) among the files of one package's or example's `src/`.
// 2. Test code in `src/`: a `*.test.ts` file there, or a `src/` file importing a `*.test.ts`,
//    anything under the package's `test/` or a `__fixtures__/` folder. Tests and their
//    helpers live in `test/`, mirroring `src/`.
// 3. In @vbuckets/core, an import that points up the layers. From the bottom:
//
//      0  errors.ts, schemas/   the vocabulary: one error family, the zod schemas
//      1  ports/                the interfaces adapters implement (types, tiny defaults)
//      2  domain/               pure rules over schemas and ports
//      3  services/             the use cases, over ports and domain
//      4  access/               who may see what; borrows services' input parsing
//      5  create-vbuckets.ts    the facade
//         node/, testing/       the `/node` and `/testing` entry points, with their code
//      6  index.ts, adapter-kit.ts, domain.ts   the lists of names of the other entry points
//
//    A file may import its own folder and any lower layer; never a higher one nor another
//    folder or file on its own layer (errors.ts and schemas/ stay apart, the entry points too).
//
// It also reports `export *` in a package's root `src/index.ts`: the root lists its public
// names one by one. Packages still in `exportStarWarnOnly` only get a warning; any other
// package fails. Empty the list to make it an error everywhere.
//
// Imports are read with a regular expression, not a parser: a statement must start its line
// (as Biome formats them), which keeps code examples in comments and strings out.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Packages whose root index may still use `export *` (a warning only), e.g. during a rewrite. */
const exportStarWarnOnly = new Set([]);

const coreLayers = [
  { name: 'errors.ts', rank: 0 },
  { name: 'schemas', rank: 0 },
  { name: 'ports', rank: 1 },
  { name: 'domain', rank: 2 },
  { name: 'services', rank: 3 },
  { name: 'access', rank: 4 },
  { name: 'create-vbuckets.ts', rank: 5 },
  { name: 'node', rank: 5 },
  { name: 'testing', rank: 5 },
  { name: 'index.ts', rank: 6 },
  { name: 'adapter-kit.ts', rank: 6 },
  { name: 'domain.ts', rank: 6 },
];

const repository = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const show = (path) => relative(repository, path);

const sourceExtensions = ['.ts', '.tsx', '.mts', '.cts'];
const isSource = (path) => sourceExtensions.some((extension) => path.endsWith(extension));
const isTestFile = (path) => /\.test\.[cm]?tsx?$/.test(path);

function walk(directory) {
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : walk(path);
    return [path];
  });
}

const statementImport = /^[ \t]*(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]/gm;
const bareImport = /^[ \t]*import\s*['"]([^'"]+)['"]/gm;
const dynamicImport = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

function specifiers(text) {
  const found = [];
  for (const pattern of [statementImport, bareImport, dynamicImport]) {
    for (const match of text.matchAll(pattern)) found.push(match[1]);
  }
  return found;
}

const isFile = (path) => existsSync(path) && statSync(path).isFile();

/** `./x` → `x.ts`, `x.tsx`, … or `x/index.ts`; `./x.js` → `x.ts`; an exact file as is. */
function resolveSpecifier(from, specifier) {
  const base = resolve(dirname(from), specifier);
  const stem = base.replace(/\.[cm]?js$/, '');
  const candidates = [
    ...sourceExtensions.map((extension) => stem + extension),
    ...sourceExtensions.map((extension) => join(base, `index${extension}`)),
    base,
  ];
  return candidates.find(isFile);
}

const problems = [];
const warnings = [];

const packages = ['packages', 'examples'].flatMap((root) =>
  existsSync(join(repository, root))
    ? readdirSync(join(repository, root), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => join(repository, root, entry.name))
    : [],
);

let fileCount = 0;
for (const packageDirectory of packages) {
  const source = join(packageDirectory, 'src');
  const testDirectory = join(packageDirectory, 'test');
  const files = walk(source).filter(isSource);
  fileCount += files.length;

  /** file → [{ target, specifier }], one per relative import, resolved to its file. */
  const graph = new Map();
  for (const file of files) {
    const edges = [];
    for (const specifier of specifiers(readFileSync(file, 'utf8'))) {
      if (!specifier.startsWith('.')) continue;
      const target = resolveSpecifier(file, specifier);
      if (target === undefined) {
        problems.push(`${show(file)}: cannot resolve '${specifier}'`);
        continue;
      }
      edges.push({ target, specifier });
    }
    graph.set(file, edges);
  }

  // Rule 2: no test code in src/.
  for (const file of files) {
    if (isTestFile(file)) {
      problems.push(`${show(file)}: a test file in src/; move it to test/, mirroring src/`);
    }
    for (const { target, specifier } of graph.get(file)) {
      const inTest = target === testDirectory || target.startsWith(`${testDirectory}/`);
      const fixture = target.includes('/__fixtures__/') && !file.includes('/__fixtures__/');
      if (inTest || isTestFile(target) || fixture) {
        problems.push(`${show(file)}: imports test code '${specifier}' (${show(target)})`);
      }
    }
  }

  // Rule 1: no cycles, found as the strongly connected components of the graph (Tarjan).
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const components = [];
  const connect = (file) => {
    index.set(file, counter);
    low.set(file, counter);
    counter += 1;
    stack.push(file);
    onStack.add(file);
    for (const { target } of graph.get(file) ?? []) {
      if (!graph.has(target)) continue;
      if (!index.has(target)) {
        connect(target);
        low.set(file, Math.min(low.get(file), low.get(target)));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file), index.get(target)));
      }
    }
    if (low.get(file) === index.get(file)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== file);
      const selfImport = (graph.get(file) ?? []).some(({ target }) => target === file);
      if (component.length > 1 || selfImport) components.push(component);
    }
  };
  for (const file of files) if (!index.has(file)) connect(file);
  for (const component of components) {
    problems.push(`import cycle: ${cyclePath(graph, new Set(component)).map(show).join(' → ')}`);
  }

  // Rule 3: core's layers.
  if (packageDirectory.endsWith('/packages/core')) {
    for (const file of files) {
      const from = layerOf(source, file);
      for (const { target, specifier } of graph.get(file)) {
        if (!target.startsWith(`${source}/`)) continue;
        const to = layerOf(source, target);
        if (from === undefined || to === undefined) {
          const unknown = from === undefined ? file : target;
          problems.push(`${show(unknown)}: in no layer of core; add its folder to coreLayers`);
          continue;
        }
        if (from.name === to.name || to.rank < from.rank) continue;
        problems.push(
          `${show(file)}: imports '${specifier}' — ${from.name} (layer ${from.rank}) may not depend on ${to.name} (layer ${to.rank})`,
        );
      }
    }
  }

  // `export *` in the root index.
  const rootIndex = join(source, 'index.ts');
  if (isFile(rootIndex)) {
    const stars = readFileSync(rootIndex, 'utf8')
      .split('\n')
      .filter((line) => /^\s*export\s*\*/.test(line))
      .map((line) => line.trim());
    if (exportStarWarnOnly.has(show(packageDirectory))) {
      if (stars.length === 0) {
        warnings.push(
          `${show(packageDirectory)} has no \`export *\` left: drop it from exportStarWarnOnly`,
        );
      } else {
        warnings.push(
          `${show(rootIndex)}: ${stars.length} \`export *\` (${stars[0]} …); list the public names instead (warning only while the package is in exportStarWarnOnly)`,
        );
      }
    } else {
      for (const star of stars) {
        problems.push(`${show(rootIndex)}: '${star}' — list the public names instead`);
      }
    }
  }
}

function layerOf(source, file) {
  const top = relative(source, file).split('/')[0];
  return coreLayers.find((layer) => layer.name === top);
}

/** One concrete cycle through a strongly connected component, from its first file back to it. */
function cyclePath(graph, members) {
  const start = [...members].sort()[0];
  const previous = new Map([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift();
    for (const { target } of graph.get(file)) {
      if (target === start) {
        const path = [start];
        for (let step = file; step !== start; step = previous.get(step)) path.splice(1, 0, step);
        return [...path, start];
      }
      if (members.has(target) && !previous.has(target)) {
        previous.set(target, file);
        queue.push(target);
      }
    }
  }
  return [start, start];
}

for (const warning of warnings) console.warn(`warning: ${warning}`);
if (problems.length > 0) {
  const distinct = [...new Set(problems)];
  for (const problem of distinct) console.error(problem);
  console.error(`check-import-cycles: ${distinct.length} problem(s)`);
  process.exit(1);
}
console.log(
  `check-import-cycles: ${packages.length} packages, ${fileCount} source files, no cycles, no test code in src, core's layers hold`,
);
