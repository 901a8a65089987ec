export interface BundleSizes {
  readonly initial: { readonly files: number; readonly raw: number; readonly gzip: number };
  readonly css: number;
  readonly routes: Readonly<Record<string, number>>;
  readonly lazy: Readonly<Record<string, number>>;
}
export function measureBundles(root: string): BundleSizes;
export function gzipSize(root: string, path: string): number;
export function routeNodes(root: string): Map<string, number[]>;
export function staticClosure(root: string, starts: string[]): Set<string>;
