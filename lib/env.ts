/**
 * The environment as the domain reads it. Narrower than NodeJS.ProcessEnv (which Next.js
 * augments with a required NODE_ENV) so tests and the CLI can pass plain records.
 */
export type Env = Readonly<Record<string, string | undefined>>;
