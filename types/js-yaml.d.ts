/** The parts of js-yaml 4 that Berth uses; the package ships no declarations of its own. */
declare module "js-yaml" {
  export type Schema = { extend: (types: { implicit: unknown[] }) => Schema };

  export class YAMLException extends Error {
    reason: string;
    mark?: { line: number; column: number };
  }

  export const CORE_SCHEMA: Schema;
  export const types: { merge: unknown };
  export function load(text: string, options: { schema: Schema; maxDepth?: number }): unknown;
}
