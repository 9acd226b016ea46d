export interface AppFixture {
  /** The app's dir: its node_modules holds the package; esbuild's absWorkingDir. */
  dir: string;
  /** The entry file. */
  entry: string;
  remove(): void;
}
export function appWith(name: string, packageDir: string, source: string, dir?: string): AppFixture;
