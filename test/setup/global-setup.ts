/** Starts the servers integration suites need (filled in by the IO and database suites). */
export default async function globalSetup(): Promise<void> {}
