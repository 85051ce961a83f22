/** A workspace package: its name and folder (relative to the repository root). */
export interface WorkspacePackage {
  readonly name: string;
  readonly dir: string;
}
/** The repository root. */
export declare const WORKSPACE: string;
/** Every published (non-private) package under packages/, sorted by name. */
export declare function publishedPackages(): WorkspacePackage[];
/** Every adapter package (`"preflight": { "adapter": true }` in its package.json), sorted by name. */
export declare function adapterPackages(): WorkspacePackage[];
/** The adapter packages missing from `covered` (package names), sorted. */
export declare function missingAdapters(covered: Iterable<string>): string[];
