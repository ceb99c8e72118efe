/** The injection token of the validated ConsoleConfig. */
export const CONSOLE_CONFIG = Symbol('CONSOLE_CONFIG');
