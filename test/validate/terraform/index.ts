/**
 * Terraform validator: parse every .tf/.tfvars with hcl2json, hold resource and data blocks against
 * the AWS provider schema, resolve every reference per module directory, and run terraform fmt.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { finding, type Finding } from '../finding.js';
import { checkBody } from './blocks.js';
import { declarationsOf, typedBlocks, type Declarations, type TfFile } from './declarations.js';
import { fmtFindings } from './fmt.js';
import { parseHcl } from './hcl.js';
import { blockLine, linesOf, textLine } from './locate.js';
import { referenceFindings } from './references.js';
import { dataSchema, providerSchema, resourceSchema } from './schema.js';
import { sitesOf } from './sites.js';

/** Parse one file; a syntax error becomes a finding at the line hcl2json reports. */
async function parseFile(dir: string, file: string): Promise<TfFile | Finding> {
  const text = readFileSync(join(dir, file), 'utf8');
  try {
    return { file, lines: linesOf(text), json: await parseHcl(file, text) };
  } catch (e) {
    const msg = (e as Error).message;
    const line = /:(\d+),\d+/.exec(msg)?.[1];
    return finding(
      file,
      line ? Number(line) : undefined,
      'terraform/syntax',
      msg.replace(/^parse config: \[|\]$/g, ''),
      'fix the HCL syntax',
    );
  }
}

/** Schema findings for every resource and data block of one file. */
function schemaFindings(f: TfFile): Finding[] {
  const schema = providerSchema();
  const out: Finding[] = [];
  for (const kind of ['resource', 'data'] as const) {
    for (const [type, name, bodies] of typedBlocks(f.json[kind])) {
      const line = blockLine(f.lines, kind, [type, name]);
      const block = kind === 'resource' ? resourceSchema(type) : dataSchema(type);
      if (!block) {
        out.push(
          finding(
            f.file,
            line,
            `terraform/unknown-${kind === 'resource' ? 'resource' : 'data-source'}-type`,
            `${kind} type "${type}" does not exist in AWS provider ${schema.version}`,
            'check the type name in the AWS provider docs',
          ),
        );
        continue;
      }
      const address = kind === 'resource' ? `${type}.${name}` : `data.${type}.${name}`;
      for (const body of bodies) out.push(...checkBody(body, block, { file: f.file, lines: f.lines, line, address }));
    }
  }
  return out;
}

/** tfvars may only assign declared variables. */
function tfvarsFindings(f: TfFile, decl: Declarations): Finding[] {
  return Object.keys(f.json)
    .filter((k) => !decl.variables.has(k))
    .map((k) =>
      finding(
        f.file,
        textLine(f.lines, k),
        'terraform/undeclared-variable',
        `"${k}" is assigned but no variable "${k}" is declared`,
        'declare it in variables.tf or remove the assignment',
      ),
    );
}

function duplicateFindings(tf: readonly TfFile[], decl: Declarations): Finding[] {
  return decl.duplicates.map(({ file, kind, labels }) => {
    const lines = tf.find((f) => f.file === file)?.lines ?? [];
    const line = kind === 'local value' ? textLine(lines, labels[0] ?? '') : blockLine(lines, kind, labels);
    return finding(
      file,
      line,
      'terraform/duplicate',
      `${kind} ${labels.map((l) => `"${l}"`).join(' ')} is declared more than once in this module`,
      'keep one declaration (check the other .tf files of the directory)',
    );
  });
}

async function moduleFindings(files: readonly TfFile[]): Promise<Finding[]> {
  const tf = files.filter((f) => f.file.endsWith('.tf'));
  const decl = declarationsOf(tf);
  const refs = await referenceFindings(tf.flatMap(sitesOf), decl);
  const tfvars = files.filter((f) => f.file.endsWith('.tfvars')).flatMap((f) => tfvarsFindings(f, decl));
  return [...tf.flatMap(schemaFindings), ...refs, ...duplicateFindings(tf, decl), ...tfvars];
}

/** All Terraform findings for the given tree-relative .tf/.tfvars files. */
export async function validateTerraform(dir: string, files: readonly string[]): Promise<Finding[]> {
  if (files.length === 0) return [];
  const parsed = await Promise.all(files.map((f) => parseFile(dir, f)));
  const ok = parsed.filter((p): p is TfFile => 'json' in p);
  const byModule = new Map<string, TfFile[]>();
  for (const f of ok) byModule.set(dirname(f.file), [...(byModule.get(dirname(f.file)) ?? []), f]);
  const roots = [...new Set(files.map((f) => f.split('/')[0] ?? f))];
  const [mods, fmt] = await Promise.all([
    Promise.all([...byModule.values()].map(moduleFindings)),
    Promise.all(roots.map((r) => fmtFindings(dir, r))),
  ]);
  return [...parsed.filter((p): p is Finding => !('json' in p)), ...mods.flat(), ...fmt.flat()];
}
