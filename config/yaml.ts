/**
 * Reads a stack file's YAML and reports every duplicated mapping key with its key path. js-yaml
 * stops at the first duplicate and names only a line; reviewers need all of them, by path.
 */
import * as yaml from 'js-yaml';
import { type PathSegment, renderPath } from './paths';

export interface YamlProblem {
  /** Rendered key path, or '' for a syntax error (the message then names line and column). */
  path: string;
  message: string;
}

export interface ParsedYaml {
  value: unknown;
  problems: YamlProblem[];
}

/** A node as js-yaml composes it: children in source order (a mapping's are key, value, key, value…). */
interface ComposedNode {
  line: number;
  children: ComposedNode[];
  kind?: string | null;
  result?: unknown;
}

const MERGE_KEY = '<<';

export function parseYaml(text: string): ParsedYaml {
  const root: ComposedNode = { line: 0, children: [] };
  const open: ComposedNode[] = [root];
  let value: unknown;
  try {
    // `json: true` keeps the last of duplicated keys instead of throwing; the node tree finds them all.
    value = yaml.load(text, {
      json: true,
      listener(event, state) {
        if (event === 'open') {
          const node: ComposedNode = { line: state.line + 1, children: [] };
          open[open.length - 1].children.push(node);
          open.push(node);
        } else {
          const node = open.pop() as ComposedNode;
          node.kind = state.kind;
          node.result = state.result;
        }
      },
    });
  } catch (error) {
    if (!(error instanceof yaml.YAMLException)) throw error;
    const where = error.mark ? `line ${error.mark.line + 1}, column ${error.mark.column + 1}: ` : '';
    return { value: undefined, problems: [{ path: '', message: `${where}invalid YAML: ${error.reason}` }] };
  }
  const problems: YamlProblem[] = [];
  if (root.children[0]) collectDuplicates(root.children[0], [], problems);
  return { value, problems };
}

function collectDuplicates(node: ComposedNode, path: PathSegment[], problems: YamlProblem[]): void {
  if (node.kind === 'sequence') {
    // Empty entries (`- `) are stored without a composed node: only index when every entry has one.
    if (Array.isArray(node.result) && node.result.length === node.children.length) {
      node.children.forEach((child, index) => {
        collectDuplicates(child, [...path, index], problems);
      });
    }
    return;
  }
  if (node.kind !== 'mapping' || !pairsAlign(node)) return;
  const firstLine = new Map<string, number>();
  for (let i = 0; i < node.children.length; i += 2) {
    const key = String(node.children[i].result);
    if (key === MERGE_KEY) continue;
    const first = firstLine.get(key);
    if (first === undefined) {
      firstLine.set(key, node.children[i].line);
    } else {
      problems.push({
        path: renderPath([...path, key]),
        message: `duplicate key (line ${node.children[i].line}, first at line ${first}): each name may appear once; the later entry would silently replace the earlier one`,
      });
    }
    collectDuplicates(node.children[i + 1], [...path, key], problems);
  }
}

/** True when the children really are key/value pairs (explicit `? key` without value breaks the rhythm). */
function pairsAlign(node: ComposedNode): boolean {
  if (node.children.length % 2 !== 0 || node.result === null || typeof node.result !== 'object') return false;
  const keys = new Set<string>();
  for (let i = 0; i < node.children.length; i += 2) keys.add(String(node.children[i].result));
  keys.delete(MERGE_KEY);
  const resultKeys = Object.keys(node.result);
  return resultKeys.every((key) => keys.has(key)) && keys.size <= resultKeys.length;
}
